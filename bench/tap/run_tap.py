#!/usr/bin/env python3
"""bench tap: what the `pipe tap` hook costs a pipeline (issue 25, item 2).

pipe:  stdin (the 1,000,000-line clickstream, json) -> Filter `status >= 400` (a transform stage, so two streams
       carry records) -> file sink (jsonl); a second source, a generator of one record, gives an idle stream.
Each run starts pipe with --http, waits for /readyz, attaches the tap of the variant (`pipe tap` on the other core,
its output discarded), then feeds the input through stdin (so every record passes with the tap in place); the time
is from the first byte fed to pipe's exit, pipe pinned to one core. Variants:
  no tap            nobody taps: each stream's hook is one relaxed atomic load
  idle tap          a tap on the idle stream: the measured streams' hooks are still one load each
  tap 1/100         a tap on `errors` keeping one record in 100
  tap all           a tap on `errors` keeping every record (the tap drops what its client does not read in time)
Prints `bench tap: no tap X rec/s, idle tap Y rec/s (ratio), tap 1/100 Z rec/s (ratio), tap all W rec/s (ratio)`.
"""
import argparse
import os
import shutil
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import benchlib as b  # noqa: E402

NAME = "tap"
OTHER_CPU = os.environ.get("BENCH_TAP_CLIENT_CPU", "1")
VARIANTS = [("no tap", None), ("idle tap", ["idle"]), ("tap 1/100", ["--sample", "100", "errors"]),
            ("tap all", ["errors"])]


def pipeline(output):
    return {
        "sources": {
            "clicks": {"type": "stdin", "format": "json"},
            "idle": {"type": "generator", "dataset": "clickstream", "count": 1},
        },
        "transforms": {"errors": {"type": "Filter", "inputs": ["clicks"], "condition": "status >= 400"}},
        "sinks": {
            "out": {"type": "file", "inputs": ["errors"], "path": output, "format": "jsonl"},
            "idle_out": {"type": "blackhole", "inputs": ["idle"]},
        },
    }


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def ready(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1) as s:
            s.sendall(b"GET /readyz HTTP/1.1\r\nHost: x\r\n\r\n")
            return s.recv(64).startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def one_run(build, pipeline_path, output, tap_args):
    """Seconds from the first byte fed to pipe's exit, or None when something failed (logged)."""
    state_dir = os.path.splitext(pipeline_path)[0] + ".state"
    shutil.rmtree(state_dir, ignore_errors=True)
    if os.path.exists(output):
        os.remove(output)
    port = free_port()
    read_end, write_end = os.pipe()
    pipe = subprocess.Popen(b.pinned([b.pipe_binary(build), "run", "--state-dir", state_dir, "--http",
                                      f"127.0.0.1:{port}", pipeline_path]),
                            stdin=read_end, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    os.close(read_end)
    tap = None
    try:
        deadline = time.monotonic() + 30
        while not ready(port):
            if time.monotonic() > deadline or pipe.poll() is not None:
                b.log(f"  pipe did not become ready: {pipe.stderr.read().decode()[-300:] if pipe.poll() is not None else ''}")
                return None
            time.sleep(0.02)
        if tap_args:
            tap = subprocess.Popen(["taskset", "-c", OTHER_CPU, b.pipe_binary(build), "tap", "--http",
                                    f"127.0.0.1:{port}"] + tap_args,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(0.5)  # attached: the tap answers at once; half a second is plenty
            if tap.poll() is not None:
                b.log(f"  pipe tap exited early ({tap.returncode})")
                return None
        started = time.perf_counter()
        feeder = subprocess.Popen(["cat", b.CLICKSTREAM], stdout=write_end)
        os.close(write_end)
        write_end = None
        _, err = pipe.communicate(timeout=b.PIPE_TIMEOUT_S)
        seconds = time.perf_counter() - started
        feeder.wait()
        if pipe.returncode != 0:
            b.log(f"  pipe exited {pipe.returncode}: {err.decode()[-300:]}")
            return None
        return seconds
    finally:
        if write_end is not None:
            os.close(write_end)
        if pipe.poll() is None:
            pipe.kill()
            pipe.wait()
        if tap is not None:  # it ends by itself once pipe closed the stream
            try:
                tap.wait(timeout=10)
            except subprocess.TimeoutExpired:
                tap.terminate()
                tap.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build", default="build")
    args = parser.parse_args()
    if not os.path.exists(b.pipe_binary(args.build)):
        b.emit(f"bench {NAME}: pipe not yet supported ({b.failure_reason(args.build)})")
        return
    b.warm_page_cache(b.CLICKSTREAM)
    output = os.path.join(b.OUT_DIR, f"{NAME}.pipe.jsonl")
    pipeline_path = b.write_pipeline(NAME, pipeline(output))
    # Rounds interleave the variants, so that a busy moment of the shared machine hits them alike; the fastest
    # run of each counts.
    best = {name: None for name, _ in VARIANTS}
    for _ in range(max(1, b.REPEAT)):
        for name, tap_args in VARIANTS:
            seconds = one_run(args.build, pipeline_path, output, tap_args)
            b.log(f"  {name}: {seconds if seconds is None else round(seconds, 3)} s")
            if seconds is not None and (best[name] is None or seconds < best[name]):
                best[name] = seconds
    base = best["no tap"]
    parts = []
    for name, _ in VARIANTS:
        if best[name] is None:
            parts.append(f"{name} failed")
            continue
        rate = b.CLICKSTREAM_LINES / best[name]
        parts.append(f"{name} {rate:.0f} rec/s" + ("" if name == "no tap" or not base else
                                                   f" ({base / best[name]:.3f} of no tap)"))
    b.emit(f"bench {NAME}: " + ", ".join(parts))


if __name__ == "__main__":
    main()
