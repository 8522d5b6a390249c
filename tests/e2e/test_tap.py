"""`pipe tap` (issue 25, item 2): the records flowing through named streams of a running pipeline, whole, from its
--http endpoint; sampling, a limit, pretty output; an unknown stream is an error naming the streams that exist; a
tap that is not read drops records instead of holding the pipeline back, and /healthz still answers."""
import json
import signal
import socket
import time

from harness import free_port, read_lines, run_pipe, start_pipe, tmpdir, wait_until, write

WHOLE_RECORD = {"stream", "key", "value", "headers", "topic", "partition", "position", "timestamp", "window"}


def _start(d, port, rate=200):
    write(f"{d}/p.yaml", f"""
sources:
  numbers:
    type: generator
    rate: {rate}
    fields:
      n: {{type: int, sequence: true, start: 0, step: 1}}
transforms:
  tagged:
    type: InsertField
    inputs: [numbers]
    static.field: via
    static.value: tap-test
sinks:
  out: {{type: file, inputs: [tagged], path: {d}/out.jsonl, format: jsonl, flush_interval: 100ms}}
""")
    proc = start_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--http", f"127.0.0.1:{port}"])
    wait_until(lambda: _get(port, "/readyz").startswith(b"HTTP/1.1 200"), what="/readyz")
    return proc


def _get(port, path):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
            data = b""
            while chunk := s.recv(65536):
                data += chunk
            return data
    except OSError:
        return b""


def _stop(proc):
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err


def test_tap_prints_whole_records_of_one_stream_up_to_the_limit():
    d, port = tmpdir(), free_port()
    proc = _start(d, port)
    try:
        p = run_pipe(["tap", "--http", f"127.0.0.1:{port}", "--limit", "5", "tagged"], timeout=30)
        assert p.returncode == 0, p.stderr
        records = [json.loads(line) for line in p.stdout.splitlines()]
        assert len(records) == 5, p.stdout
        for r in records:
            assert set(r) == WHOLE_RECORD, r
            assert r["stream"] == "tagged" and r["value"]["via"] == "tap-test", r
        numbers = [r["value"]["n"] for r in records]
        assert numbers == list(range(numbers[0], numbers[0] + 5)), numbers  # consecutive: nothing sampled away
        # The source's own stream, before the transform added its field; and both at once, each line naming its own.
        p = run_pipe(["tap", "--http", f"127.0.0.1:{port}", "--limit", "100", "numbers", "tagged"], timeout=30)
        assert p.returncode == 0, p.stderr
        records = [json.loads(line) for line in p.stdout.splitlines()]
        assert {r["stream"] for r in records} == {"numbers", "tagged"}, records
        assert all(("via" in r["value"]) == (r["stream"] == "tagged") for r in records), records
    finally:
        _stop(proc)


def test_an_unknown_stream_is_an_error_naming_the_streams_that_exist():
    d, port = tmpdir(), free_port()
    proc = _start(d, port)
    try:
        p = run_pipe(["tap", "--http", f"127.0.0.1:{port}", "taged"], timeout=30)
        assert p.returncode == 2, (p.returncode, p.stderr)
        assert "no stream 'taged'" in p.stderr and "did you mean 'tagged'" in p.stderr, p.stderr
        assert "numbers, tagged" in p.stderr, p.stderr
        assert p.stdout == ""
    finally:
        _stop(proc)


def test_sampling_keeps_one_record_in_n():
    d, port = tmpdir(), free_port()
    proc = _start(d, port, rate=500)
    try:
        for sample in ("10", "0.1", "10%"):
            p = run_pipe(["tap", "--http", f"127.0.0.1:{port}", "--sample", sample, "--limit", "4", "numbers"],
                         timeout=30)
            assert p.returncode == 0, p.stderr
            numbers = [json.loads(line)["value"]["n"] for line in p.stdout.splitlines()]
            assert len(numbers) == 4 and all(b - a == 10 for a, b in zip(numbers, numbers[1:])), (sample, numbers)
        p = run_pipe(["tap", "--http", f"127.0.0.1:{port}", "--sample", "0", "numbers"], timeout=30)
        assert p.returncode == 2 and "--sample 0" in p.stderr, p.stderr
    finally:
        _stop(proc)


def test_pretty_output_is_the_stdout_sinks_pretty_printer():
    d, port = tmpdir(), free_port()
    proc = _start(d, port)
    try:
        p = run_pipe(["tap", "--http", f"127.0.0.1:{port}", "--limit", "2", "--format", "pretty", "tagged"],
                     timeout=30)
        assert p.returncode == 0, p.stderr
        assert p.stdout.count('\n  "value": {\n    "n": ') == 2, p.stdout
        assert p.stdout.count('"stream": "tagged"') == 2, p.stdout
    finally:
        _stop(proc)


def test_a_tap_that_is_not_read_drops_records_and_never_holds_the_pipeline_back():
    d, port = tmpdir(), free_port()
    proc = _start(d, port, rate=20000)
    try:
        stuck = socket.create_connection(("127.0.0.1", port), timeout=5)
        stuck.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        stuck.sendall(b"GET /tap?streams=tagged HTTP/1.1\r\nHost: x\r\n\r\n")
        time.sleep(1)
        before = len(read_lines(f"{d}/out.jsonl"))
        time.sleep(2)
        after = len(read_lines(f"{d}/out.jsonl"))
        assert after - before > 10000, (before, after)  # the sink kept writing while the tap was not read
        began = time.monotonic()
        assert _get(port, "/healthz").startswith(b"HTTP/1.1 200")
        assert time.monotonic() - began < 1
        stuck.close()
    finally:
        _stop(proc)


def test_tap_without_a_running_pipeline_says_so():
    port = free_port()
    p = run_pipe(["tap", "--http", f"127.0.0.1:{port}", "anything"], timeout=30)
    assert p.returncode == 1, (p.returncode, p.stderr)
    assert f"cannot reach 127.0.0.1:{port}" in p.stderr and "--http" in p.stderr, p.stderr
