"""A stand-in for Elasticsearch 7/8 and OpenSearch 2: the HTTP shapes pipe's elasticsearch sink and a real client use.

    python3 elasticsearch_standin.py --variant es8 --port 0 [--user U --password P] [--api-key ID:KEY] [--bearer T]
    prints `PORT=<n>` once it listens on 127.0.0.1, then serves until SIGTERM.

Elasticsearch: `GET /`, `POST /_bulk` and `/{index}/_bulk` (NDJSON, gzip, final newline required), `index`, `create`,
`update` (`doc`, `doc_as_upsert`), `delete`, external versioning, `GET /{index}/_doc/{id}`, `GET /{index}/_count`,
`/_refresh`, `PUT|GET|HEAD /_index_template/{name}`, basic/api-key/bearer auth (401 with `WWW-Authenticate`).
Control (no auth): `POST /_standin/faults` with any of
  {"fail_requests": N, "status": 429|503|413|..., "retry_after": S}   the next N requests answer that status
  {"fail_items": N, "item_status": 429|503}                              the next N bulk items fail alone
  {"reject_field": F, "reject_value": V}                                 items whose document has F == V: 400 mapping
  {"cut_responses": N}                                                   the next N bulk requests are applied, then
                                                                         the connection is cut mid-response
  {"delay_ms": MS}, {"max_content_length": BYTES} (bigger bodies: 413)   {} clears everything
`GET /_standin/dump` (every index: id -> {"_source", "_version"}), `GET /_standin/stats`, `POST /_standin/reset`.
`--data FILE` loads the documents at start and saves them at SIGTERM, so a restarted stand-in keeps its index.
"""
import argparse
import base64
import gzip
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from elasticsearch_store import VARIANTS, BulkError, Store, error_body, parse_json  # noqa: E402


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body leave in two writes: with Nagle the body would wait for the client's delayed ACK (~40 ms).
    disable_nagle_algorithm = True
    store: Store = None
    credentials: set = set()

    def log_message(self, *args):
        pass

    def do_GET(self):
        self.dispatch("GET")

    def do_HEAD(self):
        self.dispatch("HEAD")

    def do_POST(self):
        self.dispatch("POST")

    def do_PUT(self):
        self.dispatch("PUT")

    def do_DELETE(self):
        self.dispatch("DELETE")

    # --- plumbing ---------------------------------------------------------------------------------------------
    def read_body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int(self.rfile.readline().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    break
                body += self.rfile.read(size)
                self.rfile.readline()
        else:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.store.stats["bytes_received"] += len(body)
        if self.headers.get("Content-Encoding", "").lower() == "gzip":
            body = gzip.decompress(body)
        return body

    def send(self, status, payload, headers=None, cut=False):
        data = b"" if payload is None else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        if self.store.variant != "opensearch2":
            self.send_header("X-Elastic-Product", "Elasticsearch")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if cut:
            # Half the answer, then the socket closes: the request was applied but the client cannot know.
            self.wfile.write(data[:len(data) // 2])
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return
        if self.command != "HEAD":
            self.wfile.write(data)

    def authorized(self):
        if not self.credentials:
            return True
        given = self.headers.get("Authorization")
        if given in self.credentials:
            return True
        reason = (f"unable to authenticate with provided credentials for REST request [{self.path}]" if given
                  else f"missing authentication credentials for REST request [{self.path}]")
        challenge = ['Basic realm="security" charset="UTF-8"', 'Bearer realm="security"', "ApiKey"]
        self.send(401, error_body(401, "security_exception", reason, {"WWW-Authenticate": challenge}),
                  {"WWW-Authenticate": ", ".join(challenge)})
        return False

    def dispatch(self, method):
        path, _, query = self.path.partition("?")
        parts = [p for p in path.split("/") if p]
        store = self.store
        if parts[:1] == ["_standin"]:
            return self.control(method, parts[1:])
        store.stats["requests"] += 1
        body = self.read_body() if method in ("POST", "PUT") else b""
        if not self.authorized():
            return
        delay = store.faults.get("delay_ms", 0)
        if delay:
            time.sleep(delay / 1000)
        limit = store.faults.get("max_content_length")
        if limit and len(body) > limit:
            return self.send(413, None)
        if store.take_fault("fail_requests"):
            status = store.faults.get("status", 429)
            headers = {"Retry-After": str(store.faults["retry_after"])} if "retry_after" in store.faults else {}
            kind = {429: "es_rejected_execution_exception", 413: "request_entity_too_large"}.get(
                status, "cluster_block_exception")
            return self.send(status, None if status == 413 else error_body(status, kind, f"stand-in fault {status}"),
                             headers)
        try:
            self.route(method, parts, body)
        except BulkError as e:
            self.send(e.status, error_body(e.status, e.type, e.reason))

    def route(self, method, parts, body):
        store = self.store
        if not parts and method in ("GET", "HEAD"):
            return self.send(200, self.banner())
        if parts[-1:] == ["_bulk"] and method in ("POST", "PUT") and len(parts) <= 2:
            answer = store.bulk(body, parts[0] if len(parts) == 2 else None)
            return self.send(200, answer, cut=store.take_fault("cut_responses"))
        if parts[-1:] == ["_refresh"]:
            return self.send(200, {"_shards": {"total": 1, "successful": 1, "failed": 0}})
        if parts[-1:] == ["_count"] and len(parts) <= 2:
            with store.lock:
                names = store.matching(parts[0] if len(parts) == 2 else "*")
                if len(parts) == 2 and not names and "*" not in parts[0]:
                    return self.not_found_index(parts[0])
                count = sum(len(store.indexes[n]) for n in names)
            return self.send(200, {"count": count, "_shards": {"total": 1, "successful": 1, "skipped": 0, "failed": 0}})
        if len(parts) == 3 and parts[1] == "_doc" and method in ("GET", "HEAD"):
            return self.get_document(parts[0], parts[2])
        if len(parts) == 2 and parts[0] == "_index_template":
            return self.index_template(method, parts[1], body)
        if len(parts) == 1 and method == "DELETE":
            with store.lock:
                existed = store.indexes.pop(parts[0], None) is not None
            return self.send(200, {"acknowledged": True}) if existed else self.not_found_index(parts[0])
        self.send(400, error_body(400, "illegal_argument_exception",
                                  f"stand-in: no handler for [{method} /{'/'.join(parts)}]"))

    def banner(self):
        version = dict(VARIANTS[self.store.variant], build_type="deb", build_hash="standin", build_snapshot=False,
                       build_date="2023-12-08T11:33:53.634979452Z")
        tagline = ("The OpenSearch Project: https://opensearch.org/" if self.store.variant == "opensearch2"
                   else "You Know, for Search")
        return {"name": "standin", "cluster_name": "standin", "cluster_uuid": "c0ffee", "version": version,
                "tagline": tagline}

    def not_found_index(self, index):
        self.send(404, error_body(404, "index_not_found_exception", f"no such index [{index}]"))

    def get_document(self, index, doc_id):
        with self.store.lock:
            docs = self.store.indexes.get(index)
            doc = docs.get(doc_id) if docs is not None else None
        if docs is None:
            return self.not_found_index(index)
        head = {"_index": index, "_id": doc_id}
        if self.store.variant == "es7":
            head["_type"] = "_doc"
        if doc is None:
            return self.send(404, {**head, "found": False})
        self.send(200, {**head, "_version": doc["_version"], "_seq_no": 0, "_primary_term": 1, "found": True,
                        "_source": doc["_source"]})

    def index_template(self, method, name, body):
        with self.store.lock:
            if method == "PUT":
                self.store.templates[name] = parse_json(body, 1)
                return self.send(200, {"acknowledged": True})
            template = self.store.templates.get(name)
        if template is None:
            return self.send(404, error_body(404, "resource_not_found_exception",
                                             f"index template matching [{name}] not found"))
        self.send(200, {"index_templates": [{"name": name, "index_template": template}]})

    def control(self, method, parts):
        store = self.store
        body = self.read_body() if method in ("POST", "PUT") else b""
        with store.lock:
            if parts == ["faults"] and method == "POST":
                update = json.loads(body or b"{}")
                store.faults = dict(store.faults, **update) if update else {}
                return self.send(200, store.faults)
            if parts == ["dump"]:
                return self.send(200, {"indexes": store.indexes, "templates": store.templates})
            if parts == ["stats"]:
                return self.send(200, dict(store.stats, faults=store.faults))
            if parts == ["reset"] and method == "POST":
                store.indexes, store.templates, store.faults = {}, {}, {}
                return self.send(200, {"acknowledged": True})
        self.send(404, error_body(404, "illegal_argument_exception", "unknown control request"))


class Standin:
    """A running stand-in process for tests: `url`, `faults(...)`, `dump()`, `docs(index)`, `stop()`/`start()`
    (the same port, the documents kept in `data_path`)."""

    def __init__(self, variant="es8", user=None, password=None, api_key=None, bearer=None, data_path=None):
        self.args = [sys.executable, os.path.abspath(__file__), "--variant", variant]
        for flag, value in (("--user", user), ("--password", password), ("--api-key", api_key),
                            ("--bearer", bearer), ("--data", data_path)):
            if value is not None:
                self.args += [flag, value]
        self.port, self.proc = 0, None
        self.start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        self.proc = subprocess.Popen(self.args + ["--port", str(self.port)], stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line.startswith("PORT="):
            self.proc.kill()
            raise AssertionError(f"elasticsearch stand-in did not start: {line!r}")
        self.port = int(line.strip().split("=", 1)[1])

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)

    def control(self, path, payload=None):
        data = None if payload is None else json.dumps(payload).encode()
        with urllib.request.urlopen(urllib.request.Request(self.url + "/_standin/" + path, data=data)) as answer:
            return json.loads(answer.read())

    def faults(self, **faults):
        return self.control("faults", faults)

    def dump(self):
        return self.control("dump")["indexes"]

    def stats(self):
        return self.control("stats")

    def docs(self, index):
        """id -> _source of one index ({} when it does not exist)."""
        return {doc_id: doc["_source"] for doc_id, doc in self.dump().get(index, {}).items()}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client killed mid-request (the conformance suite's SIGKILLs) is normal here, not worth a traceback.
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


def credentials_from(args):
    accepted = set()
    if args.user:
        accepted.add("Basic " + base64.b64encode(f"{args.user}:{args.password or ''}".encode()).decode())
    if args.api_key:
        accepted.add("ApiKey " + base64.b64encode(args.api_key.encode()).decode())
        accepted.add("ApiKey " + args.api_key)
    if args.bearer:
        accepted.add("Bearer " + args.bearer)
    return accepted


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variant", choices=sorted(VARIANTS), default="es8")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--api-key", help="id:key, accepted base64-encoded (as clients send it) or as is")
    parser.add_argument("--bearer")
    parser.add_argument("--data", help="a JSON file of documents: loaded at start, saved at SIGTERM")
    args = parser.parse_args()
    store = Store(args.variant)
    if args.data and os.path.exists(args.data):
        with open(args.data) as f:
            store.indexes = json.load(f)
    Handler.store, Handler.credentials = store, credentials_from(args)
    server = QuietServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True

    def stop(*_):
        if args.data:
            with store.lock, open(args.data + ".tmp", "w") as f:
                json.dump(store.indexes, f)
            os.replace(args.data + ".tmp", args.data)
        os._exit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"PORT={server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
