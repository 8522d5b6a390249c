#!/usr/bin/env python3
"""bench syslog: 1,000,000 RFC 5424 lines over one TCP connection, pipe's syslog source against rsyslog.

pipe:     syslog source (tcp) -> file sink (jsonl)
rsyslog:  imtcp -> omfile (a JSON template of the same fields pipe writes), Debian's rsyslogd run in the
          foreground as an unprivileged user with its own config, work dir and a private port (no system service)
Each receiver is pinned to one core and started first; the clock runs from the first byte sent until every line
is in the receiver's output file (its newlines counted as the file grows). The fastest of BENCH_REPEAT runs
counts. Results: the line counts, and the (host, message) of the lines, as multisets (rsyslog's queue may
reorder), must agree.
"""
import argparse
import json
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections import Counter

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import benchlib as b  # noqa: E402

NAME = "syslog"
LINES = int(os.environ.get("BENCH_SYSLOG_LINES", "1000000"))
INPUT = os.path.join(b.DATA_DIR, f"syslog-rfc5424-{LINES}.log")
TIMEOUT_S = 300


def generate(path, lines):
    """RFC 5424 lines as a busy host sends them: varying hosts, apps, pids, a structured-data element."""
    if os.path.exists(path):
        return
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path + ".tmp", "w") as f:
        for i in range(lines):
            stamp = f"2026-12-05T06:{i // 60000 % 60:02d}:{i // 1000 % 60:02d}.{i % 1000:03d}Z"
            f.write(f"<{(i % 24) * 8 + i % 8}>1 {stamp} "
                    f"host-{i % 97} app-{i % 13} {1000 + i % 5000} ID{i % 50} [meta@32473 seq=\"{i}\"] "
                    f"user {i % 977} did something number {i} with status {200 + i % 300}\n")
    os.rename(path + ".tmp", path)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port, proc, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"receiver exited {proc.returncode} before listening")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port} after {timeout}s")


def send_and_time(port, proc, output, lines):
    """Sends the input over one connection; seconds from the first byte until `lines` newlines are in `output`."""
    with open(INPUT, "rb") as data, socket.create_connection(("127.0.0.1", port)) as conn:
        start = time.perf_counter()
        conn.sendfile(data)
    seen, offset = 0, 0
    deadline = time.time() + TIMEOUT_S
    while seen < lines:
        if time.time() > deadline or proc.poll() is not None:
            raise RuntimeError(f"{seen} of {lines} lines arrived (receiver exit code {proc.poll()})")
        if os.path.exists(output):
            with open(output, "rb") as f:
                f.seek(offset)
                chunk = f.read()
            offset += len(chunk)
            seen += chunk.count(b"\n")
        if seen < lines:
            time.sleep(0.005)
    return time.perf_counter() - start


def stop(proc):
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def run_pipe_once(build_dir, work):
    port = free_port()
    output = os.path.join(work, "pipe-out.jsonl")
    for p in (output,):
        if os.path.exists(p):
            os.remove(p)
    shutil.rmtree(os.path.join(work, "pipe-state"), ignore_errors=True)
    pipeline = b.write_pipeline("syslog-bench", {
        "sources": {"logs": {"type": "syslog", "address": f"127.0.0.1:{port}", "protocol": "tcp"}},
        "sinks": {"out": {"type": "file", "inputs": ["logs"], "path": output, "format": "jsonl",
                          "flush_interval": "100ms"}},  # rsyslog writes at the end of each batch
    }, out_dir=work)
    proc = subprocess.Popen(b.pinned([b.pipe_binary(build_dir), "run", pipeline, "--state-dir",
                                      os.path.join(work, "pipe-state")]),
                            stdout=subprocess.DEVNULL, stderr=open(os.path.join(work, "pipe.log"), "w"))
    try:
        wait_listening(port, proc)
        return send_and_time(port, proc, output, LINES), output
    finally:
        stop(proc)


# The same work as pipe's: every field of the message parsed and written as one JSON object per line.
RSYSLOG_CONF = """
global(workDirectory="{work}" maxMessageSize="64k")
module(load="imtcp")
template(name="json" type="list" option.jsonf="on") {{
  property(outname="timestamp" name="timereported" dateFormat="rfc3339" format="jsonf")
  property(outname="host" name="hostname" format="jsonf")
  property(outname="app" name="app-name" format="jsonf")
  property(outname="procid" name="procid" format="jsonf")
  property(outname="msgid" name="msgid" format="jsonf")
  property(outname="facility" name="syslogfacility" format="jsonf" datatype="number")
  property(outname="severity" name="syslogseverity" format="jsonf" datatype="number")
  property(outname="facility_name" name="syslogfacility-text" format="jsonf")
  property(outname="severity_name" name="syslogseverity-text" format="jsonf")
  property(outname="message" name="msg" format="jsonf" droplastlf="on")
  property(outname="structured_data" name="structured-data" format="jsonf")
}}
ruleset(name="bench") {{
  action(type="omfile" file="{output}" template="json")
}}
input(type="imtcp" address="127.0.0.1" port="{port}" ruleset="bench")
"""


def unprivileged():
    """Runs rsyslogd as nobody when we are root (setpriv), as a user would run a private instance."""
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        return []
    nobody = pwd.getpwnam("nobody")
    return ["setpriv", f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}", "--clear-groups"]


def run_rsyslog_once(work):
    port = free_port()
    rs = os.path.join(work, "rsyslog")
    shutil.rmtree(rs, ignore_errors=True)
    os.makedirs(rs)
    os.chmod(work, 0o755)
    os.chmod(rs, 0o777)
    output = os.path.join(rs, "out.log")
    conf = os.path.join(rs, "rsyslog.conf")
    with open(conf, "w") as f:
        f.write(RSYSLOG_CONF.format(work=rs, output=output, port=port))
    proc = subprocess.Popen(b.pinned(unprivileged() + ["rsyslogd", "-n", "-f", conf, "-i", os.path.join(rs, "pid")]),
                            stdout=subprocess.DEVNULL, stderr=open(os.path.join(rs, "rsyslogd.log"), "w"))
    try:
        wait_listening(port, proc)
        return send_and_time(port, proc, output, LINES), output
    finally:
        stop(proc)


def host_and_message(path):
    with open(path) as f:
        return [(r["host"], r["message"]) for r in map(json.loads, f)]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build", default="build")
    args = parser.parse_args()
    if not shutil.which("rsyslogd"):
        b.emit(f"bench {NAME}: rsyslog not installed (make bench installs it)")
        return
    generate(INPUT, LINES)
    b.warm_page_cache(INPUT)
    work = tempfile.mkdtemp(prefix="pipe-bench-syslog-")
    best = {}
    for _ in range(b.REPEAT):
        sides = (("pipe", lambda: run_pipe_once(args.build, work)), ("rsyslog", lambda: run_rsyslog_once(work)))
        for side, once in sides:
            try:
                seconds, output = once()
            except RuntimeError as e:
                b.log(f"  {side}: {e}")
                continue
            b.log(f"  {side}: {seconds:.2f} s ({LINES / seconds:.0f} rec/s)")
            if side not in best or seconds < best[side][0]:
                best[side] = (seconds, output)
                shutil.copy(output, os.path.join(work, f"best-{side}.out"))
    if len(best) < 2:
        b.emit(f"bench {NAME}: a side failed (see bench/data/out/bench.log)")
        return
    ours = host_and_message(os.path.join(work, "best-pipe.out"))
    theirs = host_and_message(os.path.join(work, "best-rsyslog.out"))
    # rsyslog's queue may hand batches to omfile out of order: compared as multisets.
    equal = len(ours) == len(theirs) == LINES and Counter(ours) == Counter(theirs)
    if not equal:
        only_ours, only_theirs = Counter(ours) - Counter(theirs), Counter(theirs) - Counter(ours)
        b.log(f"  counts: pipe {len(ours)}, rsyslog {len(theirs)}; only in pipe's: {list(only_ours)[:3]}, "
              f"only in rsyslog's: {list(only_theirs)[:3]}")
    pipe_rate, rsyslog_rate = LINES / best["pipe"][0], LINES / best["rsyslog"][0]
    b.emit(f"bench {NAME}: pipe {pipe_rate:.0f} rec/s, rsyslog {rsyslog_rate:.0f} rec/s, "
           f"ratio {b.ratio(pipe_rate, rsyslog_rate)}, results {b.equal_word(equal)}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
