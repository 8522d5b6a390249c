"""The Elasticsearch stand-in (tests/support/elasticsearch_standin.py) against a real client: Debian's
python3-elasticsearch 7.17 under Debian's own Python, driving the es7 and es8 variants (helpers.bulk, get, count,
an auth failure). That client refuses servers that are not Elasticsearch, so the OpenSearch variant is checked by
its documented shapes only."""
import gzip
import json
import os
import subprocess
import urllib.error
import urllib.request

from elasticsearch_standin import Standin
from harness import Skip

DEBIAN_PYTHON = "/usr/bin/python3"

CLIENT_SCRIPT = r"""
import json, sys
from elasticsearch import Elasticsearch, helpers, exceptions
url, user, password = sys.argv[1:4]
es = Elasticsearch([url], http_auth=(user, password))
out = {"info": es.info()["version"]["number"]}
actions = [{"_index": "clicks", "_id": str(i), "_source": {"n": i, "page": "/p%d" % i}} for i in range(50)]
actions.append({"_op_type": "delete", "_index": "clicks", "_id": "7"})
actions.append({"_op_type": "update", "_index": "clicks", "_id": "8", "doc": {"page": "/changed"}})
actions.append({"_op_type": "create", "_index": "clicks", "_id": "9", "_source": {"n": 9}})
ok, errors = helpers.bulk(es, actions, chunk_size=20, raise_on_error=False)
out["bulk"] = [ok, [list(e.keys())[0] + ":" + str(list(e.values())[0]["status"]) for e in errors]]
out["get8"] = es.get(index="clicks", id="8")["_source"]
try:
    es.get(index="clicks", id="7")
    out["get7"] = "found"
except exceptions.NotFoundError:
    out["get7"] = "not found"
out["count"] = es.count(index="clicks")["count"]
try:
    Elasticsearch([url], http_auth=(user, "wrong")).count(index="clicks")
    out["bad_auth"] = "accepted"
except exceptions.AuthenticationException as e:
    out["bad_auth"] = e.status_code
print(json.dumps(out))
"""


def _run_client(url):
    if not os.path.exists(DEBIAN_PYTHON) or subprocess.run([DEBIAN_PYTHON, "-c", "import elasticsearch"],
                                                            capture_output=True).returncode != 0:
        raise Skip("python3-elasticsearch is not installed (apt-get install python3-elasticsearch)")
    p = subprocess.run([DEBIAN_PYTHON, "-c", CLIENT_SCRIPT, url, "elastic", "s3cret"], capture_output=True,
                       text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


def _check_variant(variant, version):
    with Standin(variant, user="elastic", password="s3cret") as es:
        out = _run_client(es.url)
        assert out["info"] == version, out
        # 50 indexed, the delete, the update; the create of an existing id is refused with 409.
        assert out["bulk"] == [52, ["create:409"]], out
        assert out["get8"] == {"n": 8, "page": "/changed"}, out
        assert out["get7"] == "not found", out
        assert out["count"] == 49, out
        assert out["bad_auth"] == 401, out
        docs = es.docs("clicks")
        assert sorted(docs, key=int) == [str(i) for i in range(50) if i != 7]
        assert docs["3"] == {"n": 3, "page": "/p3"}


def test_standin_serves_the_elasticsearch_7_client():
    _check_variant("es7", "7.17.9")


def test_standin_serves_the_elasticsearch_8_variant_to_the_same_client():
    _check_variant("es8", "8.11.3")


def _request(url, method="GET", body=None, headers=None):
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request) as answer:
            return answer.status, dict(answer.headers), json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), json.loads(e.read() or b"null")


def test_standin_opensearch_variant_and_bulk_edge_cases_by_their_documented_shapes():
    with Standin("opensearch2") as es:
        status, headers, banner = _request(es.url + "/")
        assert status == 200 and banner["version"]["distribution"] == "opensearch", banner
        assert "X-Elastic-Product" not in headers
        ndjson = (b'{"index":{"_id":"a"}}\n{"v":1}\n'
                  b'{"index":{"_id":"b","version":5,"version_type":"external"}}\n{"v":2}\n')
        status, _, answer = _request(es.url + "/logs/_bulk", "POST", gzip.compress(ndjson),
                                     {"Content-Type": "application/x-ndjson", "Content-Encoding": "gzip"})
        assert status == 200 and answer["errors"] is False, answer
        assert [i["index"]["_id"] for i in answer["items"]] == ["a", "b"]
        assert answer["items"][1]["index"]["_version"] == 5 and "_type" not in answer["items"][0]["index"]
        stale = b'{"index":{"_index":"logs","_id":"b","version":4,"version_type":"external"}}\n{"v":0}\n'
        status, _, answer = _request(es.url + "/_bulk", "POST", stale, {"Content-Type": "application/x-ndjson"})
        item = answer["items"][0]["index"]
        assert answer["errors"] and item["status"] == 409
        assert item["error"]["type"] == "version_conflict_engine_exception"
        status, _, answer = _request(es.url + "/_bulk", "POST", stale.rstrip(b"\n"))
        assert status == 400 and "terminated by a newline" in answer["error"]["reason"], answer
        typed = b'{"index":{"_index":"logs","_type":"_doc","_id":"c"}}\n{"v":3}\n'
        assert _request(es.url + "/_bulk", "POST", typed)[0] == 400
        assert _request(es.url + "/logs/_count")[2]["count"] == 2
        assert _request(es.url + "/logs/_doc/b")[2]["_source"] == {"v": 2}


def test_standin_faults_on_command():
    with Standin("es8", api_key="id1:key1") as es:
        auth = {"Authorization": "ApiKey aWQxOmtleTE=", "Content-Type": "application/x-ndjson"}
        status, headers, _ = _request(es.url + "/")
        assert status == 401 and "Basic" in headers["WWW-Authenticate"]
        es.faults(fail_requests=1, status=429, retry_after=2)
        status, headers, _ = _request(es.url + "/", headers=auth)
        assert status == 429 and headers["Retry-After"] == "2"
        es.faults(reject_field="level", reject_value="bad", fail_items=1, item_status=503)
        body = b"".join(b'{"create":{"_index":"x","_id":"%d"}}\n{"level":"%s"}\n' % (i, lv)
                        for i, lv in enumerate([b"ok", b"bad", b"ok"]))
        _, _, answer = _request(es.url + "/_bulk", "POST", body, auth)
        assert [i["create"]["status"] for i in answer["items"]] == [503, 400, 201], answer
        assert answer["items"][1]["create"]["error"]["type"] == "mapper_parsing_exception"
        es.faults(cut_responses=1)
        try:
            _request(es.url + "/_bulk", "POST", b'{"index":{"_index":"x","_id":"9"}}\n{}\n', auth)
            raise AssertionError("the cut response was read whole")
        except (urllib.error.URLError, ConnectionError, ValueError, http_incomplete()):
            pass
        assert "9" in es.docs("x"), "a cut response still applies the request"


def http_incomplete():
    import http.client
    return http.client.IncompleteRead
