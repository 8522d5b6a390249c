"""`pipe top` (issue 25, item 3) in a real terminal: tmux runs it in a pane against a running pipeline's --http
endpoint; the screen shows every component with a non-zero rate, `q` quits and gives the terminal back. Without a
terminal it prints one snapshot and exits."""
import os
import re
import shutil
import signal
import subprocess
import time
import uuid

from harness import PIPE, Skip, free_port, run_pipe, start_pipe, tmpdir, wait_until, write


def _start(d, port):
    write(f"{d}/p.yaml", f"""
sources:
  clicks: {{type: generator, dataset: clickstream, rate: 300}}
transforms:
  errors:
    type: Filter
    inputs: [clicks]
    condition: "status >= 400"
sinks:
  archive: {{type: file, inputs: [errors], path: {d}/out.jsonl, format: jsonl}}
""")
    proc = start_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--http", f"127.0.0.1:{port}"])
    wait_until(lambda: run_pipe(["top", "--http", f"127.0.0.1:{port}"], timeout=30).returncode == 0,
               what="pipe top to reach the endpoint")
    return proc


def _stop(proc):
    proc.send_signal(signal.SIGTERM)
    proc.communicate(timeout=30)


def _tmux(socket_name, *args):
    return subprocess.run(["tmux", "-L", socket_name, *args], capture_output=True, text=True, timeout=10)


def _rate(screen, component):
    """The IN/S column of a component's row, or None when the row is not on the screen."""
    for line in screen.splitlines():
        cells = line.split()
        if len(cells) > 3 and cells[1] == component:
            return cells[2]
    return None


def test_top_in_a_terminal_shows_rates_and_quits_on_q():
    if not shutil.which("tmux"):
        raise Skip("tmux is not installed (make test-deps)")
    d, port = tmpdir(), free_port()
    proc = _start(d, port)
    sock = "pipe-top-" + uuid.uuid4().hex[:8]
    done = f"{d}/top.exit"
    try:
        # The pane runs pipe top, then records its exit code: the pane's shell outlives it for the check.
        command = f"{PIPE} top --http 127.0.0.1:{port}; echo $? > {done}; sleep 30"
        r = _tmux(sock, "new-session", "-d", "-x", "140", "-y", "30", command)
        assert r.returncode == 0, r.stderr
        screen = ""

        def rates_shown():
            nonlocal screen
            screen = _tmux(sock, "capture-pane", "-p").stdout
            rates = [_rate(screen, c) for c in ("clicks", "errors", "archive")]
            return all(r not in (None, "-") for r in rates) and float(rates[0]) > 0

        wait_until(rates_shown, timeout=15, interval=0.3, what="pipe top to show rates")
        assert "pipe top  127.0.0.1:" in screen and "ready" in screen, screen
        for heading in ("IN/S", "OUT/S", "ERRORS", "QUEUE", "CHECKPOINT AGE", "LAG"):
            assert heading in screen, screen
        assert re.search(r"source\s+clicks\s", screen) and re.search(r"sink\s+archive\s", screen), screen
        assert 100 < float(_rate(screen, "clicks")) < 600, screen  # the generator makes 300 records a second
        _tmux(sock, "send-keys", "q")
        wait_until(lambda: os.path.exists(done), timeout=10, what="pipe top to quit on q")
        with open(done) as f:
            assert f.read().strip() == "0"
        # The terminal is given back: the alternate screen is gone, so the pane shows the shell's screen again.
        time.sleep(0.3)
        after = _tmux(sock, "capture-pane", "-p").stdout
        assert "IN/S" not in after, after
    finally:
        _tmux(sock, "kill-server")
        _stop(proc)


def test_top_without_a_terminal_prints_one_snapshot():
    d, port = tmpdir(), free_port()
    proc = _start(d, port)
    try:
        p = run_pipe(["top", "--http", f"127.0.0.1:{port}"], timeout=30)
        assert p.returncode == 0, p.stderr
        assert "\x1b" not in p.stdout, p.stdout  # no escapes in a file or a pipe
        assert p.stdout.startswith(f"pipe top  127.0.0.1:{port}"), p.stdout
        assert float(_rate(p.stdout, "clicks")) > 0, p.stdout
    finally:
        _stop(proc)
    p = run_pipe(["top", "--http", f"127.0.0.1:{port}"], timeout=30)
    assert p.returncode == 1 and "cannot reach" in p.stderr, (p.returncode, p.stderr)
