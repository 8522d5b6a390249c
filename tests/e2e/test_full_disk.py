"""A file sink on a full filesystem (a 1 MiB tmpfs, 60,000 input lines of ~60 bytes): the run waits with a
clear message, never leaves a torn or repeated line, and completes once space is freed; a run stopped while the
disk is full exits non-zero, and the rerun after space is freed completes with nothing missing."""
import json
import os
import signal
import subprocess
import time

from harness import Skip, run_pipe, start_pipe, tmpdir, wait_until, write

LINES = 60_000


def _mount_small_tmpfs(path):
    """Mounts a 1 MiB tmpfs at `path`, or skips the test saying why it cannot."""
    os.makedirs(path, exist_ok=True)
    if os.geteuid() != 0:
        raise Skip("mounting a small tmpfs needs root")
    p = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", path], capture_output=True, text=True)
    if p.returncode != 0:
        raise Skip(f"mount -t tmpfs is not permitted here: {p.stderr.strip()}")


def _resize(path, size):
    subprocess.run(["mount", "-o", f"remount,size={size}", path], check=True)


def _setup(d):
    with open(f"{d}/in.jsonl", "w") as f:
        for i in range(LINES):
            f.write(json.dumps({"id": i, "payload": f"record {i} of the disk test"}) + "\n")
    _mount_small_tmpfs(f"{d}/disk")
    write(f"{d}/p.yaml", f"""
sources:
  input: {{type: file, path: {d}/in.jsonl, format: json}}
sinks:
  out: {{type: file, inputs: [input], path: {d}/disk/out.jsonl, format: jsonl, flush_interval: 50ms}}
""")


def _check_output(path, complete):
    """Every line is whole and appears once; with `complete`, all LINES are there. Returns the line count."""
    with open(path) as f:
        text = f.read()
    assert text == "" or text.endswith("\n"), f"torn last line: {text[-200:]!r}"
    ids = []
    for n, line in enumerate(text.splitlines(), 1):
        try:
            ids.append(json.loads(line)["id"])
        except ValueError:
            raise AssertionError(f"torn line {n}: {line[:200]!r}")
    repeated = len(ids) - len(set(ids))
    assert repeated == 0, f"{repeated} repeated lines"
    if complete:
        missing = LINES - len(set(ids))
        assert missing == 0, f"{missing} of {LINES} lines missing"
    return len(ids)


def _start_until_full(d):
    log = open(f"{d}/run.log", "w+")
    proc = start_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--no-watch"], stdout=log,
                      stderr=subprocess.STDOUT)
    wait_until(lambda: "No space left" in open(f"{d}/run.log").read(), timeout=60, what="the sink to hit ENOSPC")
    return proc


def _log(d):
    with open(f"{d}/run.log") as f:
        return f.read()


def test_full_disk_waits_and_completes_once_space_is_freed():
    d = tmpdir()
    try:
        _setup(d)
        proc = _start_until_full(d)
        time.sleep(1)  # a few retries against the full disk
        assert proc.poll() is None, _log(d)[-3000:]
        _check_output(f"{d}/disk/out.jsonl", complete=False)  # cut back to its last sync while it waits
        _resize(f"{d}/disk", "16m")
        assert proc.wait(timeout=120) == 0, _log(d)[-3000:]
        lines = _check_output(f"{d}/disk/out.jsonl", complete=True)
        assert lines == LINES
        log = _log(d)
        assert "cut back to its last synced size" in log, log[-3000:]
        print(f"full disk then freed: {lines} of {LINES} lines, each once; {log.count('No space left')} retries")
    finally:
        subprocess.run(["umount", "-l", f"{d}/disk"], capture_output=True)


def test_full_disk_stop_exits_nonzero_and_the_rerun_completes():
    d = tmpdir()
    try:
        _setup(d)
        proc = _start_until_full(d)
        proc.send_signal(signal.SIGTERM)
        rc = proc.wait(timeout=60)
        log = _log(d)
        assert rc != 0, log[-3000:]
        assert "every record was flushed" not in log, log[-3000:]
        assert "No space left" in log and "out.jsonl" in log, log[-3000:]
        kept = _check_output(f"{d}/disk/out.jsonl", complete=False)
        _resize(f"{d}/disk", "16m")
        p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--no-watch"], timeout=120)
        assert p.returncode == 0, p.stderr[-3000:]
        lines = _check_output(f"{d}/disk/out.jsonl", complete=True)
        print(f"stopped on a full disk (exit {rc}) with {kept} whole lines; the rerun completed: {lines} lines")
    finally:
        subprocess.run(["umount", "-l", f"{d}/disk"], capture_output=True)
