"""What every benchmark script shares: paths, timed runs pinned to one core, pipe runs, result comparison.

A benchmark prints exactly one line per comparison on stdout ("bench NAME: ..."); details and diagnostics go to
stderr so that `make bench` output stays one line per comparison.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass

import yaml

BENCH_DIR = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH_DIR)
DATA_DIR = os.path.join(BENCH_DIR, "data")
OUT_DIR = os.path.join(DATA_DIR, "out")
CLICKSTREAM = os.path.join(DATA_DIR, "clickstream.jsonl")
CLICKSTREAM_LINES = 1_000_000
DUCKDB_SCRIPT = os.path.join(BENCH_DIR, "duckdb", "run_sql.mjs")

# Runs per side; the fastest counts (the machine is shared, the minimum is the least disturbed run).
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
# The core every measured process is pinned to.
CPU = os.environ.get("BENCH_CPU", "0")
PIPE_TIMEOUT_S = int(os.environ.get("BENCH_PIPE_TIMEOUT", "300"))


def log(*args):
    print(*args, file=sys.stderr, flush=True)


@dataclass
class Timed:
    seconds: float  # wall clock
    returncode: int
    stdout: str
    stderr: str
    cpu_seconds: float = 0.0  # user + system time of the process (less sensitive to a loaded machine)

    @property
    def ok(self):
        return self.returncode == 0


def pinned(argv):
    """argv run on one core (taskset), so that every side of a comparison gets the same single CPU."""
    if shutil.which("taskset"):
        return ["taskset", "-c", CPU] + list(argv)
    return list(argv)


def run_timed(argv, stdout_path=None, timeout=PIPE_TIMEOUT_S, cwd=ROOT):
    """Runs argv once on the pinned core; wall-clock seconds of the whole process (start-up included) and its
    CPU seconds (taskset execs the program, so the child's rusage is the program's)."""
    with tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as captured:
        out = open(stdout_path, "wb") if stdout_path else captured
        started = time.perf_counter()
        try:
            proc = subprocess.Popen(pinned(argv), stdout=out, stderr=err, cwd=cwd)
        except OSError as e:
            return Timed(0.0, -1, "", str(e))
        finally:
            if stdout_path:
                out.close()
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                proc.wait()
                return Timed(time.perf_counter() - started, -1, "", f"timed out after {timeout} s")
            time.sleep(0.005)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        captured.seek(0)
        return Timed(seconds, proc.returncode, captured.read().decode(errors="replace"),
                     err.read().decode(errors="replace"), usage.ru_utime + usage.ru_stime)


def best_of(run, repeat=REPEAT):
    """Calls run() up to `repeat` times; returns the fastest successful Timed, or the first failure."""
    best = None
    for _ in range(max(1, repeat)):
        timed = run()
        if not timed.ok:
            return timed
        if best is None or timed.seconds < best.seconds:
            best = timed
    return best


def warm_page_cache(path):
    """Reads a file once so that the first measured side does not pay for the disk."""
    with open(path, "rb") as f:
        while f.read(1 << 24):
            pass


# ---- pipe ----------------------------------------------------------------------------------------------------

def pipe_binary(build_dir):
    path = os.path.join(build_dir, "pipe")
    return path if os.path.isabs(path) else os.path.join(ROOT, path)


def write_pipeline(name, pipeline, out_dir=OUT_DIR):
    """Writes a pipeline dict as YAML (default under bench/data/out/) and returns its path."""
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, f"{name}.yaml")
    with open(path, "w") as f:
        yaml.safe_dump(pipeline, f, sort_keys=False, width=120)
    return path


def run_pipe(build_dir, pipeline_path, outputs=(), timeout=PIPE_TIMEOUT_S):
    """One `pipe run` from scratch: output files are removed (a sink may append) and so is the state dir (a file
    source resumes from its checkpoint), which lives beside the pipeline file rather than in ./.pipe-state."""
    for path in outputs:
        if os.path.exists(path):
            os.remove(path)
    state_dir = os.path.splitext(pipeline_path)[0] + ".state"
    shutil.rmtree(state_dir, ignore_errors=True)
    return run_timed([pipe_binary(build_dir), "run", "--state-dir", state_dir, pipeline_path], timeout=timeout)


def run_pipe_until(build_dir, pipeline_path, done, pin, http_port=None, state_template=None):
    """Starts `pipe run` and stops the clock when done() is true (polled every 20 ms); then SIGTERM (pipe drains
    and exits). The state dir beside the pipeline starts empty, or as a copy of state_template (a source then
    resumes from the checkpoint saved there). Returns a Timed whose seconds are the clock's and whose cpu_seconds
    are pipe's whole run (the drain included)."""
    state_dir = os.path.splitext(pipeline_path)[0] + ".state"
    shutil.rmtree(state_dir, ignore_errors=True)
    if state_template:
        shutil.copytree(state_template, state_dir)
    argv = [pipe_binary(build_dir), "run", "--no-watch", "--state-dir", state_dir, pipeline_path]
    if http_port:
        argv += ["--http", f"127.0.0.1:{http_port}"]
    err_path = pipeline_path + ".stderr"
    with open(err_path, "wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(pinned(argv) if pin else argv, stdout=subprocess.DEVNULL, stderr=err, cwd=ROOT)
    seconds, returncode = None, 0
    while seconds is None:
        if proc.poll() is not None:
            returncode = proc.returncode or -1
            break
        if time.perf_counter() - started > PIPE_TIMEOUT_S:
            returncode = -1
            break
        if done():
            seconds = time.perf_counter() - started
            break
        time.sleep(0.02)
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    with open(err_path, errors="replace") as f:
        stderr = f.read()
    return Timed(seconds or time.perf_counter() - started, returncode, "", stderr, usage.ru_utime + usage.ru_stime)


def blackhole_count(port):
    """Records a running pipe's blackhole sink has counted (pipe_blackhole_records_total in /metrics); 0 while
    pipe does not answer yet."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=1) as answer:
            text = answer.read().decode()
    except OSError:
        return 0
    match = re.search(r'^pipe_blackhole_records_total\{[^}]*\} (\d+)', text, re.M)
    return int(match.group(1)) if match else 0


def failure_reason(build_dir, timed=None):
    """A short reason for "pipe not yet supported (...)": the binary is missing, or the first error line."""
    if not os.path.exists(pipe_binary(build_dir)):
        return f"{os.path.relpath(pipe_binary(build_dir), ROOT)} not built"
    if timed is None:
        return "unknown"
    lines = [line.strip() for line in (timed.stderr + "\n" + timed.stdout).splitlines() if line.strip()]
    errors = [line for line in lines if "error" in line.lower()] or lines
    text = errors[0] if errors else f"exit code {timed.returncode}"
    return (text[:140] + "...") if len(text) > 140 else text


# ---- DuckDB --------------------------------------------------------------------------------------------------

def duckdb_available():
    return os.path.isdir(os.path.join(BENCH_DIR, "duckdb", "node_modules", "@duckdb", "node-api"))


def run_duckdb(sql_file, **params):
    """Runs a DuckDB SQL file (threads=1) in node; ${NAME} placeholders are filled from params."""
    for key in ("OUTPUT",):
        if key in params and os.path.exists(params[key]):
            os.remove(params[key])
    argv = ["node", DUCKDB_SCRIPT, sql_file] + [f"{k}={v}" for k, v in params.items()]
    return run_timed(argv)


# ---- results -------------------------------------------------------------------------------------------------

def normalize(value):
    """JSON value in a form that compares equal across writers: integral floats become ints, keys lower-case
    (ksqlDB upper-cases unquoted column names; jq and DuckDB keep the input's case)."""
    if isinstance(value, dict):
        return {str(k).lower(): normalize(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalize(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def read_jsonl(path):
    """Records of a JSON-lines file (a JSON array file, as some writers produce, is accepted too)."""
    with open(path, "rb") as f:
        text = f.read().decode()
    stripped = text.lstrip()
    if stripped.startswith("["):
        return [normalize(r) for r in json.loads(stripped)]
    return [normalize(json.loads(line)) for line in text.splitlines() if line.strip()]


def record_key(record):
    return json.dumps(record, sort_keys=True)


def multiset_equal(left, right, left_name="pipe", right_name="peer"):
    """True when both lists hold the same records the same number of times; logs a sample of the difference."""
    a = Counter(record_key(r) for r in left)
    b = Counter(record_key(r) for r in right)
    if a == b:
        return True
    only_a, only_b = a - b, b - a
    log(f"  {left_name}: {len(left)} records, {right_name}: {len(right)} records; "
        f"{sum(only_a.values())} only in {left_name}, {sum(only_b.values())} only in {right_name}")
    for name, diff in ((left_name, only_a), (right_name, only_b)):
        for key in list(diff)[:3]:
            log(f"    only in {name}: {key}")
    return False


def log_run(side, timed, amount, unit):
    """Logs one side's best run: wall and CPU seconds and the rate by each."""
    cpu_rate = amount / timed.cpu_seconds if timed.cpu_seconds > 0 else 0.0
    log(f"  {side}: {timed.seconds:.2f} s wall ({amount / timed.seconds:.1f} {unit}), "
        f"{timed.cpu_seconds:.2f} s cpu ({cpu_rate:.1f} {unit} by cpu time) {timed.stdout.strip()[:80]}")


def equal_word(equal):
    return "equal" if equal else "DIFFER"


def ratio(pipe_rate, peer_rate):
    return f"{pipe_rate / peer_rate:.2f}" if peer_rate > 0 else "n/a"


def emit(line):
    """The one result line of a comparison."""
    print(line, flush=True)


# ---- the clickstream as a ksqlDB stream ----------------------------------------------------------------------

# Every column of the clickstream, as a user would declare the topic; _time (epoch ms) is the event time.
CLICKS_DDL = (
    "CREATE STREAM clicks (_time BIGINT, `time` VARCHAR, ip VARCHAR, request VARCHAR, status INT, userid INT, "
    "bytes BIGINT, agent VARCHAR, page VARCHAR) "
    "WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON', TIMESTAMP='_time');"
)


def clicks_sql_pipeline(query, output):
    """file source (the clickstream) -> sql stage (CLICKS_DDL + query, whose stream is named `out`) -> file sink."""
    return {
        "sources": {"clicks": {"type": "file", "path": CLICKSTREAM, "mode": "read", "format": "json"}},
        "transforms": {"q": {"type": "sql", "inputs": ["clicks"], "sql": CLICKS_DDL + "\n" + query}},
        "sinks": {"out": {"type": "file", "inputs": ["out"], "path": output, "format": "jsonl"}},
    }
