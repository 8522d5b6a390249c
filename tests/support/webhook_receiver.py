"""A webhook receiver for tests of the http sink (stdlib only): binds 127.0.0.1 (port 0 = any free one), records
every request (method, path, headers, body) with the status it answered, and answers as scripted:

    receiver = WebhookReceiver(log_path="requests.jsonl").start()
    receiver.respond_next(3, 429, headers={"Retry-After": "1"})   # the next 3 requests
    receiver.reject_containing("poison", status=400, body='{"error": "invalid_payload"}')
    receiver.reject_when("n == 250")    # a Python expression over the fields of a JSON body
    receiver.stop(); ...; receiver.start()                         # down, then up again on the same port
    WebhookReceiver(tls=(cert_file, key_file))                     # https

Everything else is answered 200 "ok". As a process: `python3 webhook_receiver.py [--port N] [--log FILE]
[--reject-containing X] [--reject-when EXPR]` prints the port on its first line and serves until SIGTERM; a POST
to /_control with {"next": {"count", "status", "headers", "body"}, "reject_containing", "reject_when"} scripts it.
"""
import argparse
import gzip
import http.server
import json
import signal
import socket
import ssl
import sys
import threading
import time


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client killed mid-request (the SIGKILL tests) resends what it did not see answered: not an error.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class WebhookReceiver:
    def __init__(self, port=0, log_path=None, tls=None):
        self.port = port
        self.log_path = log_path
        self.tls = tls  # (certificate file, key file): serve https
        self.requests = []  # dicts: method, path, headers, body (text), status, time
        self._lock = threading.Lock()
        self._next = []  # [status, headers, body] per scripted request, in order
        self._rejections = []  # (predicate, status, body)
        self._server = None
        self._thread = None
        self._connections = set()

    # --- scripting ---
    def respond_next(self, count, status, headers=None, body=""):
        with self._lock:
            self._next.extend([(status, dict(headers or {}), body)] * count)
        return self

    def reject_containing(self, text, status=400, body=None):
        body = body if body is not None else json.dumps({"error": f"the body contains {text}"})
        with self._lock:
            self._rejections.append((lambda raw, fields: text in raw, status, body))
        return self

    def reject_when(self, expression, status=400, body=None):
        code = compile(expression, "<reject_when>", "eval")
        body = body if body is not None else json.dumps({"error": f"rejected: {expression}"})

        def matches(raw, fields):
            try:
                return isinstance(fields, dict) and bool(eval(code, {}, dict(fields)))
            except Exception:
                return False
        with self._lock:
            self._rejections.append((matches, status, body))
        return self

    # --- what arrived ---
    def delivered(self):
        """The requests answered 2xx, in arrival order."""
        with self._lock:
            return [r for r in self.requests if 200 <= r["status"] < 300]

    def bodies(self, status=None):
        with self._lock:
            return [r["body"] for r in self.requests if status is None or r["status"] == status]

    def url(self, path="/hook", host="127.0.0.1"):
        return f"{'https' if self.tls else 'http'}://{host}:{self.port}{path}"

    # --- up and down ---
    def start(self):
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive, as the sink's client reuses its connection

            def setup(self):
                super().setup()
                # Headers and body leave in two writes: without this, Nagle holds the body back until the
                # client's delayed ACK (40 ms a request).
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                with receiver._lock:
                    receiver._connections.add(self.connection)

            def finish(self):
                with receiver._lock:
                    receiver._connections.discard(self.connection)
                super().finish()

            def log_message(self, *args):
                pass

            def do_POST(self):
                receiver._handle(self)

            do_PUT = do_PATCH = do_POST

        self._server = _Server(("127.0.0.1", self.port), Handler)
        if self.tls:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*self.tls)
            self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self):
        """Down: stops listening and cuts the open connections (a later start() binds the same port)."""
        if not self._server:
            return
        self._server.shutdown()
        self._server.server_close()
        with self._lock:
            for c in list(self._connections):
                try:
                    c.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
        self._server = None

    # --- answering ---
    def _handle(self, h):
        length = int(h.headers.get("Content-Length") or 0)
        raw = h.rfile.read(length)
        if (h.headers.get("Content-Encoding") or "").lower() == "gzip":
            raw = gzip.decompress(raw)
        text = raw.decode("utf-8", errors="replace")
        try:
            fields = json.loads(text)
        except ValueError:
            fields = None
        status, headers, body = self._answer(text, fields)
        record = {"method": h.command, "path": h.path, "headers": dict(h.headers.items()), "body": text,
                  "status": status, "time": time.time()}
        with self._lock:
            self.requests.append(record)
            if self.log_path:
                with open(self.log_path, "a") as f:
                    f.write(json.dumps(record) + "\n")
        if h.path == "/_control" and fields is not None:
            self._control(fields)
        payload = body.encode()
        h.send_response(status)
        for k, v in headers.items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(payload)))
        h.end_headers()
        h.wfile.write(payload)

    def _answer(self, text, fields):
        with self._lock:
            if self._next:
                return self._next.pop(0)
            for matches, status, body in self._rejections:
                if matches(text, fields):
                    return status, {"Content-Type": "application/json"}, body
        return 200, {}, "ok"

    def _control(self, command):
        if "next" in command:
            n = command["next"]
            self.respond_next(n.get("count", 1), n["status"], n.get("headers"), n.get("body", ""))
        if "reject_containing" in command:
            self.reject_containing(command["reject_containing"])
        if "reject_when" in command:
            self.reject_when(command["reject_when"])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--log", help="append each request as a JSON line")
    parser.add_argument("--reject-containing", action="append", default=[])
    parser.add_argument("--reject-when", action="append", default=[])
    args = parser.parse_args()
    receiver = WebhookReceiver(args.port, args.log)
    for text in args.reject_containing:
        receiver.reject_containing(text)
    for expression in args.reject_when:
        receiver.reject_when(expression)
    receiver.start()
    print(receiver.port, flush=True)
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    stopped.wait()
    receiver.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
