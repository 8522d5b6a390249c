"""The `sql` stage's processing errors follow on_error (skip by default, as ksqlDB logs and goes on; fail; dead_letter
through the one dead-letter writer, stage "sql"), and every SQL output carries the position of the input record that
produced it, the same on a replay, so a sink keyed by position (Elasticsearch `id: position`) overwrites."""
import json

from elasticsearch_standin import Standin
from harness import read_lines, run_pipe, tmpdir, write

ORDERS = [{"id": 1, "amount": 20.0}, {"id": 2, "amount": 5.0}, {"id": 3, "amount": 30.0},
          {"id": 4, "amount": "lots"}, {"id": 5, "amount": 40.0}]
BAD = ORDERS[3]


def _orders_pipeline(d, policy="", name="p.yaml"):
    write(f"{d}/in.jsonl", "".join(json.dumps(o) + "\n" for o in ORDERS))
    return write(f"{d}/{name}", f"""
sources:
  orders: {{type: file, path: {d}/in.jsonl, format: json}}
transforms:
  q:
    type: sql
    inputs: [orders]{policy}
    sql: |
      CREATE STREAM orders (id INT, amount DOUBLE) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON');
      CREATE STREAM big AS SELECT id, amount FROM orders WHERE amount > 10;
sinks:
  out: {{type: file, inputs: [big], path: {d}/out.jsonl}}
""")


def _run(pipeline, d, state="state"):
    return run_pipe(["run", pipeline, "--state-dir", f"{d}/{state}"], timeout=60)


def _ids(path):
    return [json.loads(line)["ID"] for line in read_lines(path)]


def test_a_record_that_does_not_fit_the_declared_schema_is_dead_lettered_and_replays_as_it_was():
    d = tmpdir()
    p = _run(_orders_pipeline(d, "\n    on_error: dead_letter\n    dead_letter_path: dlq.jsonl"), d)
    assert p.returncode == 0, p.stderr
    assert _ids(f"{d}/out.jsonl") == [1, 3, 5]
    dead = [json.loads(line) for line in read_lines(f"{d}/dlq.jsonl")]
    assert len(dead) == 1, dead
    letter = dead[0]
    assert letter["stage"] == "sql" and letter["component"] == "q", letter
    assert letter["error"]["kind"] == "data" and "BIG" in letter["error"]["message"], letter
    assert "AMOUNT" in letter["error"]["message"].upper(), letter
    assert letter["record"]["value"] == BAD and letter["record"]["topic"] == "orders", letter
    offset = sum(len(json.dumps(o)) + 1 for o in ORDERS[:3])
    assert letter["record"]["position"].endswith(f"@{offset}"), letter
    # Once the statements are fixed, the dead letter replays as the original record.
    write(f"{d}/replay.yaml", f"""
sources:
  replay: {{type: file, path: {d}/dlq.jsonl, format: dead_letter}}
sinks:
  fixed: {{type: file, inputs: [replay], path: {d}/replayed.jsonl}}
""")
    p = _run(f"{d}/replay.yaml", d, "state-replay")
    assert p.returncode == 0, p.stderr
    assert [json.loads(line) for line in read_lines(f"{d}/replayed.jsonl")] == [BAD]


def test_on_error_fail_stops_the_pipeline_naming_the_record():
    d = tmpdir()
    p = _run(_orders_pipeline(d, "\n    on_error: fail"), d)
    assert p.returncode != 0
    assert "transform q" in p.stderr and '"amount":"lots"' in p.stderr, p.stderr


def test_by_default_a_processing_error_is_logged_and_the_pipeline_goes_on():
    d = tmpdir()
    p = _run(_orders_pipeline(d), d)
    assert p.returncode == 0, p.stderr
    assert _ids(f"{d}/out.jsonl") == [1, 3, 5]
    assert "transform q: BIG: Failed to deserialize value" in p.stderr, p.stderr
    p = _run(_orders_pipeline(d, "\n    on_error: skip", name="s.yaml"), d, "state-skip")
    assert p.returncode == 0, p.stderr


CLICKS = [{"page": "/a"}, {"page": "/b"}, {"page": "/a"}, {"page": "/a"}, {"page": "/b"}]


def _counts_pipeline(d, sink):
    write(f"{d}/in.jsonl", "".join(json.dumps(c) + "\n" for c in CLICKS))
    return write(f"{d}/p.yaml", f"""
sources:
  clicks: {{type: file, path: {d}/in.jsonl, format: json}}
transforms:
  q:
    type: sql
    inputs: [clicks]
    properties: {{ksql.streams.cache.max.bytes.buffering: '0'}}
    sql: |
      CREATE STREAM clicks (page VARCHAR) WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON');
      CREATE TABLE counts AS SELECT page, COUNT(*) AS n FROM clicks GROUP BY page;
sinks:
  out: {sink}
""")


def _line_offsets(lines):
    offsets, at = [], 0
    for line in lines:
        offsets.append(at)
        at += len(json.dumps(line)) + 1
    return offsets


def test_each_group_by_update_carries_the_position_of_the_record_that_caused_it():
    d = tmpdir()
    pipeline = _counts_pipeline(d, f"{{type: file, inputs: [counts], path: {d}/out.jsonl, metadata: true}}")
    assert _run(pipeline, d).returncode == 0
    first = [json.loads(line) for line in read_lines(f"{d}/out.jsonl")]
    assert [(r["key"], r["value"]["N"]) for r in first] == [("/a", 1), ("/b", 1), ("/a", 2), ("/a", 3), ("/b", 2)]
    assert [int(r["position"].rsplit("@", 1)[1]) for r in first] == _line_offsets(CLICKS), first
    # From the start again (a fresh state dir replays the file): the same positions.
    assert _run(pipeline, d, "state-again").returncode == 0
    again = [json.loads(line) for line in read_lines(f"{d}/out.jsonl")][len(first):]
    assert [r["position"] for r in again] == [r["position"] for r in first]


def test_elasticsearch_ids_by_position_after_a_group_by_overwrite_on_a_replay():
    d = tmpdir()
    with Standin("es8") as es:
        pipeline = _counts_pipeline(d, f"{{type: elasticsearch, inputs: [counts], urls: [{es.url}], index: counts, "
                                       f"id: position}}")
        assert _run(pipeline, d).returncode == 0
        docs = es.docs("counts")
        assert sorted((doc["N"]) for doc in docs.values()) == [1, 1, 2, 2, 3], docs
        # A replay of the same input (a fresh state dir) writes the same ids again: nothing is duplicated.
        assert _run(pipeline, d, "state-again").returncode == 0
        assert es.docs("counts") == docs
