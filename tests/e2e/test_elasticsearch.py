"""The elasticsearch sink through the binary against the stand-in (tests/support/elasticsearch_standin.py): exact
documents, ids and index names; tombstones delete and an update recreates; a half-failed bulk request delivers its
good items once and dead-letters the rest; 429 items and requests (Retry-After) are retried; a connection cut
mid-response loses and duplicates nothing; 413 splits; external versions keep the newer document; a refused
credential fails clearly."""
import base64
import json
import os
import threading
import time

from elasticsearch_standin import Standin
from harness import free_port, read_lines, run_pipe, tmpdir, write

KEYED = """
    transforms:
      - type: ValueToKey
        fields: [id]
      - type: ExtractField$Key
        field: id"""


def _run(d, es, lines, extra="", source_format="json", keyed=True, name="p.yaml", check=True):
    write(f"{d}/in-{name}.json", "".join(json.dumps(x) + "\n" for x in lines))
    urls = "" if "urls:" in extra else f"\n    urls: [{es.url}]"
    write(f"{d}/{name}", f"""
sources:
  web:
    type: file
    path: in-{name}.json
    format: {source_format}
sinks:
  search:
    type: elasticsearch
    inputs: [web]{urls}
    retry: {{initial_backoff: 20ms, max_backoff: 200ms}}{KEYED if keyed else ""}
{extra}
""")
    return run_pipe([ "run", f"{d}/{name}"], cwd=d, check=check, timeout=60)


def _clicks(n, **extra):
    return [dict({"id": f"u{i}", "page": f"/p{i}", "kind": "click"}, **extra) for i in range(n)]


def test_documents_ids_and_index_names_are_exact_and_tombstones_delete():
    d = tmpdir()
    with Standin("es8") as es:
        # Two records a request: the third waits for the flush, quietly (no retry, no warning).
        p = _run(d, es, _clicks(3), '    index: "{kind}-events"\n    batch: {max_records: 2}')
        assert " warn " not in p.stderr, p.stderr
        assert es.stats()["bulk_requests"] == 2
        assert es.docs("click-events") == {f"u{i}": {"id": f"u{i}", "page": f"/p{i}", "kind": "click"}
                                           for i in range(3)}
        assert list(es.dump()) == ["click-events"]
        # A tombstone (null value) deletes u1; the delete of a document that is not there (u9) is no error.
        tombstones = [{"record": {"key": k, "value": None}} for k in ("u1", "u9")]
        _run(d, es, tombstones, '    index: "click-events"', source_format="dead_letter", keyed=False,
             name="t.yaml")
        assert sorted(es.docs("click-events")) == ["u0", "u2"]
        # An update of a deleted key recreates it (doc_as_upsert); of a live one, merges.
        _run(d, es, [{"id": "u1", "page": "/back"}, {"id": "u2", "seen": True}],
             '    index: "click-events"\n    action: update', name="u.yaml")
        docs = es.docs("click-events")
        assert docs["u1"] == {"id": "u1", "page": "/back"}
        assert docs["u2"] == {"id": "u2", "page": "/p2", "kind": "click", "seen": True}


def test_half_failed_bulk_delivers_good_items_once_and_dead_letters_the_rest():
    d = tmpdir()
    with Standin("es7") as es:
        es.faults(reject_field="page", reject_value="/bad")
        lines = _clicks(10)
        for i in (2, 5, 7):
            lines[i]["page"] = "/bad"
        _run(d, es, lines, f"    on_error: dead_letter\n    dead_letter_path: {d}/dlq.jsonl")
        assert sorted(es.docs("web")) == sorted(f"u{i}" for i in range(10) if i not in (2, 5, 7))
        assert es.stats()["bulk_items"] == 10, "the good items were sent once, the refused ones once"
        letters = [json.loads(x) for x in read_lines(f"{d}/dlq.jsonl")]
        assert sorted(x["record"]["key"] for x in letters) == ["u2", "u5", "u7"]
        assert all(x["stage"] == "sink" and "mapper_parsing_exception" in x["error"]["message"] and
                   "failed to parse field [page]" in x["error"]["message"] for x in letters), letters


def test_items_answered_429_are_sent_again_alone():
    d = tmpdir()
    with Standin("es8") as es:
        es.faults(fail_items=3, item_status=429)
        _run(d, es, _clicks(20))
        assert sorted(es.docs("web"), key=lambda k: int(k[1:])) == [f"u{i}" for i in range(20)]
        assert es.stats()["bulk_items"] == 23, es.stats()


def test_a_429_request_waits_its_retry_after():
    d = tmpdir()
    with Standin("es8") as es:
        es.faults(fail_requests=1, status=429, retry_after=2)
        started = time.monotonic()
        _run(d, es, _clicks(5))
        assert time.monotonic() - started >= 2.0
        assert len(es.docs("web")) == 5


def test_a_connection_cut_mid_response_loses_and_duplicates_nothing():
    d = tmpdir()
    with Standin("es8") as es:
        # No key: the sink assigns the ids when it builds the batch, so sending the request again is idempotent.
        es.faults(cut_responses=2)
        _run(d, es, _clicks(50), keyed=False)
        docs = es.docs("web")
        assert sorted(x["id"] for x in docs.values()) == sorted(f"u{i}" for i in range(50)), len(docs)
        assert es.stats()["bulk_requests"] >= 3


def test_a_413_splits_the_request():
    d = tmpdir()
    with Standin("opensearch2") as es:
        es.faults(max_content_length=2000)
        _run(d, es, _clicks(100), "    batch: {max_records: 100}")
        assert len(es.docs("web")) == 100
        assert es.stats()["bulk_requests"] >= 4


def test_external_versions_keep_the_newer_document():
    d = tmpdir()
    with Standin("es8") as es:
        versions = "    version_type: external"
        _run(d, es, [{"id": "a", "v": 1}, {"id": "a", "v": 2}], versions)
        newest = es.dump()["web"]["a"]
        assert newest["_source"] == {"id": "a", "v": 2}
        # The older change again (a replay from another state folder): refused as older, counted as delivered.
        _run(d, es, [{"id": "a", "v": 1}], versions + f"\n    on_error: dead_letter\n    dead_letter_path: {d}/dlq",
             name="old.yaml")
        assert es.dump()["web"]["a"] == newest
        assert not os.path.exists(f"{d}/dlq")


def test_refused_credentials_fail_clearly_without_showing_the_secret():
    d = tmpdir()
    with Standin("es8", user="elastic", password="right-one") as es:
        p = _run(d, es, _clicks(1), "    auth: {type: basic, user: elastic, password: wrong-one}", check=False)
        assert p.returncode != 0
        assert "401" in p.stderr and "auth.user ('elastic') and auth.password" in p.stderr, p.stderr
        assert "wrong-one" not in p.stderr
        assert es.docs("web") == {}
        _run(d, es, _clicks(1), "    auth: {type: basic, user: elastic, password: right-one}", name="ok.yaml")
        assert list(es.docs("web")) == ["u0"]


def test_gzip_api_key_and_a_dead_node_skipped():
    d = tmpdir()
    dead = f"http://127.0.0.1:{free_port()}"
    with Standin("es7", api_key="pipe-id:pipe-key") as es:
        encoded = base64.b64encode(b"pipe-id:pipe-key").decode()
        p = _run(d, es, _clicks(30), f"    urls: [{dead}, {es.url}]\n    compression: gzip\n"
                 f"    auth: {{type: api_key, api_key: {encoded}}}\n    batch: {{max_records: 10}}", name="x.yaml")
        assert sorted(es.docs("web"), key=lambda k: int(k[1:])) == [f"u{i}" for i in range(30)]
        assert es.stats()["bulk_requests"] == 3, es.stats()
        # The dead node was tried once (GET / at open, retried on the next node) and then skipped.
        assert p.stderr.count(dead) == 1, p.stderr
        assert es.stats()["bytes_received"] < 30 * 60, "the bodies were compressed"


def test_slow_answers_past_request_timeout_are_retried_with_the_same_ids():
    d = tmpdir()
    with Standin("es8") as es:
        es.faults(delay_ms=1500)  # every answer comes after the sink stopped waiting; the requests still apply
        done = threading.Timer(3.0, lambda: es.faults(delay_ms=0))
        done.start()
        started = time.monotonic()
        try:
            _run(d, es, _clicks(20), "    request_timeout: 500ms", keyed=False)
        finally:
            done.cancel()
        assert time.monotonic() - started >= 3.0
        docs = es.docs("web")
        assert sorted(x["id"] for x in docs.values()) == sorted(f"u{i}" for i in range(20)), len(docs)
