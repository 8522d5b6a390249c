"""One process per state dir: a second `pipe run` on a state dir in use fails at once naming the holder's PID,
also after the holder reloaded its pipeline; a SIGKILLed holder does not block the next run. Checkpoint files are
unique per source: sources `in.a` and `in_a` resume without re-reading each other's input."""
import json
import os
import signal
import subprocess
import time

from harness import append_ids, follow_pipeline, read_lines, run_pipe, start_pipe, tmpdir, wait_until, write


def _second_run_is_refused(pipeline, d, holder):
    start = time.monotonic()
    p = run_pipe(["run", pipeline, "--state-dir", f"{d}/state", "--no-watch"], timeout=30)
    took = time.monotonic() - start
    assert p.returncode == 1, f"exit {p.returncode}\n{p.stderr}"
    assert f"PID {holder.pid}" in p.stderr and f"{d}/state" in p.stderr, p.stderr
    assert took < 5, f"the second run took {took:.1f} s to give up"
    return p.stderr.strip()


def test_second_process_on_a_state_dir_fails_at_once_naming_the_holder():
    d = tmpdir()
    write(f"{d}/in.log", "")
    pipeline = write(f"{d}/p.yaml", follow_pipeline(d, "a.jsonl"))
    log = open(f"{d}/holder.log", "w")
    holder = start_pipe(["run", pipeline, "--state-dir", f"{d}/state"], stdout=log, stderr=subprocess.STDOUT)
    try:
        append_ids(f"{d}/in.log", range(0, 100))
        wait_until(lambda: len(read_lines(f"{d}/a.jsonl")) >= 100, what="first 100 records in a.jsonl")
        message = _second_run_is_refused(pipeline, d, holder)
        write(pipeline, follow_pipeline(d, "b.jsonl"))  # a hot reload keeps the lock
        wait_until(lambda: os.path.exists(f"{d}/b.jsonl"), what="the reloaded pipeline to open b.jsonl")
        _second_run_is_refused(pipeline, d, holder)
        append_ids(f"{d}/in.log", range(100, 200))
        wait_until(lambda: len(read_lines(f"{d}/b.jsonl")) >= 100, what="records 100..199 in b.jsonl")
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    # The kernel released the killed holder's lock: the next run starts, and loses nothing.
    append_ids(f"{d}/in.log", range(200, 300))
    next_run = start_pipe(["run", pipeline, "--state-dir", f"{d}/state", "--no-watch"])
    try:
        wait_until(lambda: len(read_lines(f"{d}/b.jsonl")) >= 200 or next_run.poll() is not None,
                   what="records 200..299 after the holder was killed")
    finally:
        next_run.send_signal(signal.SIGTERM)
        out, err = next_run.communicate(timeout=30)
    assert next_run.returncode == 0, err
    ids = {json.loads(l)["id"] for l in read_lines(f"{d}/a.jsonl") + read_lines(f"{d}/b.jsonl")}
    assert ids == set(range(300)), f"missing: {sorted(set(range(300)) - ids)[:10]}"
    print(f"second run refused: {message}")


def test_sources_named_in_dot_a_and_in_underscore_a_resume_separately():
    d = tmpdir()
    for name, first in (("a", 0), ("b", 100_000)):
        append_ids(f"{d}/{name}.jsonl", range(first, first + 20_000))
    write(f"{d}/p.yaml", f"""
sources:
  in.a: {{type: file, path: {d}/a.jsonl, format: json}}
  in_a: {{type: file, path: {d}/b.jsonl, format: json}}
sinks:
  out: {{type: file, inputs: [in.a, in_a], path: {d}/out.jsonl, format: jsonl}}
""")
    counts = []
    for run in range(3):
        if run == 2:  # new input for both: each source reads only its new lines
            append_ids(f"{d}/a.jsonl", range(20_000, 25_000))
            append_ids(f"{d}/b.jsonl", range(120_000, 125_000))
        p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--no-watch"], timeout=120)
        assert p.returncode == 0, p.stderr[-3000:]
        counts.append(len(read_lines(f"{d}/out.jsonl")))
    assert counts == [40_000, 40_000, 50_000], counts
    ids = [json.loads(l)["id"] for l in read_lines(f"{d}/out.jsonl")]
    assert sorted(ids) == list(range(25_000)) + list(range(100_000, 125_000))
    names = sorted(os.listdir(f"{d}/state/checkpoints"))
    assert "in%2Ea.json" in names and "in_a.json" in names and not any(n.endswith(".tmp") for n in names), names
    print(f"in.a and in_a: output after each run {counts}; checkpoints {names}")
