"""Logs and function docs (issue 25, item 10): --log-level hides the lines below it; under --log-format json every
line is one JSON object, a rejected reload's errors and the final summary included, with counts as numbers;
`pipe functions NAME` shows one function, and a misspelt name gets a suggestion."""
import json
import signal
import subprocess

from harness import append_ids, follow_pipeline, read_lines, run_pipe, start_pipe, tmpdir, wait_until, write


def test_log_level_warn_hides_the_info_lines():
    d = tmpdir()
    write(f"{d}/in.jsonl", '{"id":1}\n')
    p = write(f"{d}/p.yaml", f"""
sources:
  rows: {{type: file, path: {d}/in.jsonl}}
sinks:
  out: {{type: stdout, inputs: [rows]}}
""")
    quiet = run_pipe(["run", p, "--state-dir", f"{d}/a", "--log-level", "warn"])
    assert quiet.returncode == 0 and quiet.stdout == '{"id":1}\n' and quiet.stderr == "", quiet
    bad = run_pipe(["run", p, "--log-level", "loud"])
    assert bad.returncode == 2 and "--log-level" in bad.stderr, bad


def test_every_json_log_line_is_an_object_also_a_rejected_reloads_errors():
    d = tmpdir()
    write(f"{d}/in.log", "")
    pipeline = write(f"{d}/p.yaml", follow_pipeline(d, "out.jsonl"))
    log = open(f"{d}/log", "w")
    proc = start_pipe(["run", pipeline, "--state-dir", f"{d}/state", "--log-format", "json"], stdout=log,
                      stderr=subprocess.STDOUT)
    try:
        append_ids(f"{d}/in.log", range(10))
        wait_until(lambda: len(read_lines(f"{d}/out.jsonl")) >= 10, what="the first records")
        write(pipeline, "sources:\n  a: {type: nope}\n")
        wait_until(lambda: "reload_rejected" in open(f"{d}/log").read(), what="the reload to be rejected")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    events = [json.loads(line) for line in read_lines(f"{d}/log")]  # each line parses
    errors = [e for e in events if e["event"] == "config_error"]
    assert all(e["level"] == "error" for e in errors) and any("'nope'" in e["message"] for e in errors), events
    summary = events[-1]
    assert summary["event"] == "pipeline_finished" and summary["records_read"] == 10, summary
    assert isinstance(summary["records_written"], int) and isinstance(summary["seconds"], (int, float)), summary


def test_functions_name_shows_one_function():
    one = run_pipe(["functions", "substring"])
    assert one.returncode == 0 and one.stdout.startswith("SUBSTRING (string)\n"), one
    assert len(one.stdout.splitlines()) < 10, one.stdout
    wrong = run_pipe(["functions", "substrng"])
    assert wrong.returncode == 2 and "unknown function 'substrng' (did you mean 'SUBSTRING'?)" in wrong.stderr, wrong
