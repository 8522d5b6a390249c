"""The http sink through the binary against a webhook receiver (tests/support/webhook_receiver.py): exact bodies
(quotes, newlines, non-ASCII), 429 with Retry-After honoured, a 400 in the dead letters with the answer's body,
and a receiver down for 10 s losing nothing."""
import json
import signal
import subprocess
import time
import urllib.error
import urllib.request

from harness import append_ids, free_port, read_lines, run_pipe, start_pipe, tmpdir, wait_until, write
from webhook_receiver import WebhookReceiver

SLACK_BODY = '{"text": "Unhappy platinum customer {full_name}: {message}"}'


def _pipeline(d, receiver, sink_extra="", source_mode="read", source_format="json"):
    url = receiver.url("/hook/{topic}")
    return write(f"{d}/p.yaml", f"""
sources:
  ratings: {{type: file, path: {d}/in.jsonl, mode: {source_mode}, format: {source_format}}}
sinks:
  hook:
    type: http
    inputs: [ratings]
    url: {url}
    retry: {{initial_backoff: 50ms, max_backoff: 500ms}}
{sink_extra}""")


def _readyz(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
    except OSError as e:
        return 0, str(e)


def _write_json_lines(path, rows):
    write(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))


def test_exact_bodies_arrive_with_quotes_newlines_and_non_ascii():
    d = tmpdir()
    receiver = WebhookReceiver().start()
    try:
        rows = [{"full_name": 'Ann "The Hammer" Lee', "message": "line one\nline two\ttabbed"},
                {"full_name": "Zoë Ångström 山田", "message": "back\\slash and a } brace {"},
                {"full_name": "Bob", "message": "emoji 🎉 and \u0001 control"}]
        _write_json_lines(f"{d}/in.jsonl", rows)
        _pipeline(d, receiver, f"    body: '{SLACK_BODY}'\n")
        p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state"], timeout=60)
        assert p.returncode == 0, p.stderr
        got = receiver.delivered()
        assert len(got) == 3, got
        for row, request in zip(rows, got):
            expected_text = f"Unhappy platinum customer {row['full_name']}: {row['message']}"
            assert json.loads(request["body"]) == {"text": expected_text}, request["body"]
            assert request["headers"]["Content-Type"] == "application/json", request["headers"]
            assert request["method"] == "POST" and request["path"] == "/hook/ratings", request
        # The escaping as JSON writes it (non-ASCII as UTF-8, not \\u escapes).
        assert got[0]["body"] == '{"text": "Unhappy platinum customer Ann \\"The Hammer\\" Lee: line one\\nline two' \
                                 '\\ttabbed"}', got[0]["body"]
        assert "Zoë Ångström 山田" in got[1]["body"], got[1]["body"]
    finally:
        receiver.stop()


def test_429_with_retry_after_is_honoured():
    d = tmpdir()
    receiver = WebhookReceiver().start()
    try:
        receiver.respond_next(2, 429, headers={"Retry-After": "1"}, body="rate limited")
        _write_json_lines(f"{d}/in.jsonl", [{"n": i} for i in range(5)])
        _pipeline(d, receiver, "    format: json\n")
        started = time.time()
        p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state"], timeout=60)
        took = time.time() - started
        assert p.returncode == 0, p.stderr
        assert [json.loads(r["body"])["n"] for r in receiver.delivered()] == [0, 1, 2, 3, 4]
        statuses = [r["status"] for r in receiver.requests]
        assert statuses == [429, 429, 200, 200, 200, 200, 200], statuses
        # Two waits of at least Retry-After (1 s each); loosely, as the machine is shared.
        first_ok = receiver.delivered()[0]["time"]
        assert first_ok - receiver.requests[0]["time"] >= 1.9, (receiver.requests[0]["time"], first_ok)
        assert took < 30, took
        assert "retrying" in p.stderr, p.stderr
    finally:
        receiver.stop()


def test_a_400_lands_in_the_dead_letters_with_the_answer_body():
    d = tmpdir()
    receiver = WebhookReceiver().start()
    try:
        receiver.reject_containing("poison", status=400, body='{"ok": false, "error": "invalid_payload"}')
        rows = [{"n": 1, "full_name": "Ann", "message": "fine"}, {"n": 2, "full_name": "Bo", "message": "poison pill"},
                {"n": 3, "full_name": "Cy", "message": "fine too"}]
        _write_json_lines(f"{d}/in.jsonl", rows)
        _pipeline(d, receiver, f"    body: '{SLACK_BODY}'\n    on_error: dead_letter\n"
                               f"    dead_letter_path: {d}/dlq.jsonl\n")
        p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state"], timeout=60)
        assert p.returncode == 0, p.stderr
        assert [json.loads(b)["text"] for b in receiver.bodies(200)] == \
            ["Unhappy platinum customer Ann: fine", "Unhappy platinum customer Cy: fine too"]
        dead = [json.loads(l) for l in read_lines(f"{d}/dlq.jsonl")]
        assert len(dead) == 1, dead
        letter = dead[0]
        assert letter["stage"] == "sink" and letter["component"] == "hook", letter
        assert letter["record"]["value"] == rows[1], letter
        assert letter["error"]["kind"] == "data", letter
        assert letter["error"]["message"] == (f"HTTP 400 from {receiver.url('/hook/{topic}')}: "
                                              '{"ok": false, "error": "invalid_payload"}'), letter
    finally:
        receiver.stop()


def test_a_receiver_down_for_10_seconds_loses_nothing():
    d = tmpdir()
    receiver = WebhookReceiver().start()
    proc = None
    try:
        write(f"{d}/in.jsonl", "")
        _pipeline(d, receiver, "    format: ndjson\n    batch: {max_records: 20, max_age: 100ms}\n",
                  source_mode="follow")
        port = free_port()
        proc = start_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--http", f"127.0.0.1:{port}"])

        def delivered_ids():
            return [json.loads(line)["id"] for r in receiver.delivered() for line in r["body"].splitlines()]
        append_ids(f"{d}/in.jsonl", range(0, 100))
        wait_until(lambda: len(set(delivered_ids())) == 100, timeout=30, what="the first 100 records")
        receiver.stop()
        down_at = time.time()
        append_ids(f"{d}/in.jsonl", range(100, 300))
        wait_until(lambda: _readyz(port)[0] == 503, timeout=10, interval=0.2, what="/readyz 503 while it is down")
        assert "sink hook: retrying" in _readyz(port)[1], _readyz(port)
        time.sleep(max(0.0, 10 - (time.time() - down_at)))
        assert proc.poll() is None, "pipe ended while the receiver was down"
        assert len(set(delivered_ids())) == 100
        receiver.start()
        wait_until(lambda: len(set(delivered_ids())) == 300, timeout=30, what="every record after the receiver is back")
        assert time.time() - down_at >= 10
        wait_until(lambda: _readyz(port)[0] == 200, timeout=10, interval=0.2, what="/readyz 200 once it is back")
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
        assert proc.returncode == 0, err
        ids = delivered_ids()
        assert sorted(set(ids)) == list(range(300)), ids
        assert ids == sorted(ids), "records arrived out of order"
        assert "connection refused" in err, err
    finally:
        if proc and proc.poll() is None:
            proc.kill()
        receiver.stop()


def _self_signed_certificate(d, name="localhost"):
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", f"/CN={name}",
                    "-addext", f"subjectAltName=DNS:{name}", "-keyout", f"{d}/key.pem", "-out", f"{d}/cert.pem"],
                   check=True, capture_output=True)
    return f"{d}/cert.pem", f"{d}/key.pem"


def test_https_with_a_ca_file_and_a_certificate_that_is_not_trusted():
    d = tmpdir()
    cert, key = _self_signed_certificate(d)
    receiver = WebhookReceiver(tls=(cert, key)).start()
    try:
        _write_json_lines(f"{d}/in.jsonl", [{"n": 1}, {"n": 2}])
        write(f"{d}/p.yaml", f"""
sources:
  ratings: {{type: file, path: {d}/in.jsonl, mode: read, format: json}}
sinks:
  trusted:
    type: http
    inputs: [ratings]
    url: {receiver.url("/trusted", host="localhost")}
    tls: {{ca_file: {cert}}}
  by_address:
    type: http
    inputs: [ratings]
    url: {receiver.url("/by-address")}
    tls: {{ca_file: {cert}, server_name: localhost}}
""")
        p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state"], timeout=60)
        assert p.returncode == 0, p.stderr
        for path in ("/trusted", "/by-address"):
            assert [json.loads(r["body"])["n"] for r in receiver.delivered() if r["path"] == path] == [1, 2], path
        # Without the CA the certificate is refused at once (not retried: a retry cannot fix it).
        write(f"{d}/q.yaml", f"""
sources:
  ratings: {{type: file, path: {d}/in.jsonl, mode: read, format: json}}
sinks:
  untrusted: {{type: http, inputs: [ratings], url: "{receiver.url("/untrusted", host="localhost")}"}}
""")
        p = run_pipe(["run", f"{d}/q.yaml", "--state-dir", f"{d}/state-q"], timeout=60)
        assert p.returncode == 1, p.stderr
        assert "TLS failure" in p.stderr, p.stderr
        assert not [r for r in receiver.requests if r["path"] == "/untrusted"]
    finally:
        receiver.stop()
