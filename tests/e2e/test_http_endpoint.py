"""The HTTP endpoint under slow and many clients, at shutdown, and with bad addresses (issue 19, item 5).

Each connection has a deadline fixed when it is accepted (dripping header lines does not extend it), the number of
open connections is bounded by closing the oldest, and stopping closes every client socket without waiting.
"""
import signal
import socket
import threading
import time

from harness import free_port, run_pipe, start_pipe, tmpdir, wait_until, write


def _start(d, port):
    write(f"{d}/p.yaml", f"""
sources:
  clicks: {{type: generator, dataset: clickstream, rate: 200}}
sinks:
  out: {{type: file, inputs: [clicks], path: {d}/out.jsonl, format: jsonl}}
""")
    proc = start_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--http", f"127.0.0.1:{port}"])
    wait_until(lambda: _request(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")[0] == 200, what="/healthz")
    return proc


def _request(port, raw, timeout=5):
    """(status, seconds) of one raw request; (0, seconds) when nothing or no HTTP answer came."""
    began = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.sendall(raw)
            data = b""
            while chunk := s.recv(65536):
                data += chunk
        status = int(data.split(b" ", 2)[1]) if data.startswith(b"HTTP/1.") else 0
    except OSError:
        status = 0
    return status, time.monotonic() - began


def _drip(port, stop, closed_after):
    """A client that sends one header line every 0.5 s and never ends its request."""
    began = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=20) as s:
            s.sendall(b"GET /metrics HTTP/1.1\r\n")
            i = 0
            while not stop.is_set():
                s.sendall(b"X-Drip-%d: a\r\n" % i)
                i += 1
                time.sleep(0.5)
    except OSError:
        pass
    closed_after.append(time.monotonic() - began)


def _stop(proc):
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=30)


def _healthz_slowest(port, times=6):
    slowest = 0.0
    for _ in range(times):
        status, seconds = _request(port, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        assert status == 200, status
        slowest = max(slowest, seconds)
        time.sleep(0.3)
    return slowest


def test_slow_and_idle_clients_do_not_stop_healthz_and_cannot_extend_their_deadline():
    d, port = tmpdir(), free_port()
    proc = _start(d, port)
    stop, closed_after = threading.Event(), []
    drips = [threading.Thread(target=_drip, args=(port, stop, closed_after)) for _ in range(8)]
    idle = []
    try:
        for t in drips:
            t.start()
        time.sleep(0.5)
        beside_drips = _healthz_slowest(port)
        assert beside_drips < 1.0, f"/healthz took {beside_drips:.2f}s beside 8 dripping clients"
        wait_until(lambda: len(closed_after) == 8, timeout=15, what="the dripping clients to be closed")
        assert 2 < min(closed_after) and max(closed_after) < 6, closed_after
        idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(300)]  # more than the bound
        beside_idle = _healthz_slowest(port)
        assert beside_idle < 1.0, f"/healthz took {beside_idle:.2f}s beside 300 idle connections"
        assert _request(port, b"GET /readyz HTTP/1.1\r\n\r\n")[0] == 200
        print(f"http: /healthz at most {beside_drips * 1000:.0f} ms beside 8 dripping clients (closed after "
              f"{max(closed_after):.1f}s, dripping did not extend it), {beside_idle * 1000:.0f} ms beside 300 idle")
    finally:
        stop.set()
        for s in idle:
            s.close()
        for t in drips:
            t.join(timeout=30)
        _stop(proc)
    assert proc.returncode == 0


def test_sigterm_ends_the_process_promptly_with_a_slow_client_connected():
    d, port = tmpdir(), free_port()
    proc = _start(d, port)
    stop, closed_after = threading.Event(), []
    drip = threading.Thread(target=_drip, args=(port, stop, closed_after))
    drip.start()
    try:
        time.sleep(0.7)
        began = time.monotonic()
        _stop(proc)
        took = time.monotonic() - began
    finally:
        stop.set()
        drip.join(timeout=30)
    print(f"http: exited {took:.2f}s after SIGTERM with a slow client connected")
    assert proc.returncode == 0
    assert took < 2.0, took


def test_bad_requests_are_answered_and_closed():
    d, port = tmpdir(), free_port()
    proc = _start(d, port)
    try:
        assert _request(port, b"nonsense\r\n\r\n")[0] == 400
        assert _request(port, b"POST /healthz HTTP/1.1\r\nContent-Length: 0\r\n\r\n")[0] == 405
        assert _request(port, b"GET /nope HTTP/1.1\r\n\r\n")[0] == 404
        assert _request(port, b"GET /x HTTP/1.1\r\n" + b"X: " + b"a" * 20000 + b"\r\n\r\n")[0] == 431
        assert _request(port, b"HEAD /metrics HTTP/1.0\r\n\r\n")[0] == 200
    finally:
        _stop(proc)
    assert proc.returncode == 0


def test_an_invalid_http_address_is_an_error():
    d = tmpdir()
    write(f"{d}/p.yaml", f"""
sources:
  clicks: {{type: generator, dataset: clickstream, count: 10}}
sinks:
  out: {{type: file, inputs: [clicks], path: {d}/out.jsonl, format: jsonl}}
""")
    for address, says in [("127.0.0.1:99999", "port must be a number from 0 to 65535"),
                          ("127.0.0.1:abc", "port must be a number from 0 to 65535"),
                          ("127.0.0.1", "expected HOST:PORT"), (":8080", "expected HOST:PORT")]:
        p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--http", address], timeout=30)
        assert p.returncode == 2, (address, p.returncode, p.stderr)
        assert f"--http {address}" in p.stderr and says in p.stderr, (address, p.stderr)
    # A port that is taken is an error too, not another port.
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        address = f"127.0.0.1:{taken.getsockname()[1]}"
        p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--http", address], timeout=30)
        assert p.returncode == 2 and "cannot listen there" in p.stderr, p.stderr
