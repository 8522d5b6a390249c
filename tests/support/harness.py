"""Helpers shared by the end-to-end tests (tests/e2e/test_*.py), run by tests/run_all.py.

A test is a function named test_* in a tests/e2e/test_*.py module. It fails by raising (assert), skips by
raising Skip("why"). Tests drive the real `pipe` binary (PIPE) as a user would.
"""
import json
import os
import signal
import socket
import subprocess
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.environ.get("PIPE_BUILD", os.path.join(ROOT, "build"))
PIPE = os.path.join(BUILD, "pipe")
SHARED = os.path.normpath(os.path.join(ROOT, "..", "shared"))


class Skip(Exception):
    """Raised by a test that cannot run here; the message says why (reported in the summary)."""


def tmpdir(prefix="pipe-test-"):
    return tempfile.mkdtemp(prefix=prefix)


def write(path, text):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    return path


def run_pipe(args, timeout=60, input=None, env=None, check=False, cwd=None):
    """Runs `pipe ARGS` to completion; returns CompletedProcess with text stdout/stderr."""
    e = dict(os.environ)
    if env:
        e.update(env)
    p = subprocess.run([PIPE] + list(args), capture_output=True, text=True, timeout=timeout, input=input,
                       env=e, cwd=cwd)
    if check and p.returncode != 0:
        raise AssertionError(f"pipe {' '.join(args)} exited {p.returncode}\nstdout:\n{p.stdout}\nstderr:\n{p.stderr}")
    return p


def start_pipe(args, env=None, cwd=None, stdout=subprocess.PIPE, stderr=subprocess.PIPE):
    """Starts `pipe ARGS` in the background; the caller stops it (terminate/kill) and waits."""
    e = dict(os.environ)
    if env:
        e.update(env)
    return subprocess.Popen([PIPE] + list(args), stdout=stdout, stderr=stderr, text=True, env=e, cwd=cwd)


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def sigkill_runs(args, rng, delay, runs=None, until=None):
    """Runs `pipe ARGS` again and again, each run killed with SIGKILL after a random delay drawn from `delay` (a
    (low, high) range in seconds) unless it ended by itself: `runs` times, or until `until()` is true. Returns how
    many kills landed mid-run."""
    kills = 0
    i = 0
    while (runs is not None and i < runs) or (until is not None and not until()):
        i += 1
        proc = start_pipe(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(*delay))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.wait()
    return kills


def wait_until(predicate, timeout=30, interval=0.05, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def read_lines(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [l for l in f.read().split("\n") if l]


def follow_pipeline(d, out_name):
    """A pipeline that follows {d}/in.log (JSON lines) into {d}/{out_name}, flushing every 100 ms."""
    return f"""
sources:
  input: {{type: file, path: {d}/in.log, mode: follow, format: json}}
sinks:
  out: {{type: file, inputs: [input], path: {d}/{out_name}, format: jsonl, flush_interval: 100ms}}
"""


def append_ids(path, ids):
    """Appends {"id": i} lines for each id."""
    with open(path, "a") as fh:
        for i in ids:
            fh.write(json.dumps({"id": i}) + "\n")
