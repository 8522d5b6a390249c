"""File, stdin, stdout and blackhole connectors through the binary: read once and exit, follow with rotation and
truncation, resume after restart without loss or duplicates, on_error policies, path templates and rolling."""
import base64
import datetime
import glob
import json
import os
import signal
import subprocess

from harness import ROOT, read_lines, run_pipe, start_pipe, tmpdir, wait_until, write


def _stop(proc, timeout=30):
    """SIGINT = graceful stop: drain, flush, checkpoint, exit 0."""
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=timeout)
    assert proc.returncode == 0, f"exit {proc.returncode}\n{err}"
    return out, err


def _messages(path):
    return [json.loads(l)["message"] for l in read_lines(path)]


def _follow_pipeline(d, extra_source=""):
    write(f"{d}/p.yaml", f"""
sources:
  app:
    type: file
    path: {d}/app.log
    mode: follow
    format: lines
    rotate_wait: 200ms
{extra_source}
sinks:
  out: {{type: file, inputs: [app], path: {d}/out.jsonl, format: jsonl, flush_interval: 50ms}}
""")
    return start_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--no-watch"])


def _append(path, lines):
    with open(path, "a") as fh:
        fh.write("".join(l + "\n" for l in lines))


def test_read_mode_partitions_by_date_rolls_and_exits_0():
    d = tmpdir()
    write(f"{d}/in.jsonl", "".join(json.dumps({"id": i, "name": f"n{i}"}) + "\n" for i in range(1000)))
    write(f"{d}/p.yaml", f"""
sources:
  input: {{type: file, path: {d}/in.jsonl, format: json}}
sinks:
  out:
    type: file
    inputs: [input]
    path: {d}/out/{{topic}}/dt={{date}}/hour={{hour}}/part-{{n}}.jsonl
    max_records: 300
""")
    today = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d")
    p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state"], timeout=60)
    assert p.returncode == 0, p.stderr
    parts = sorted(glob.glob(f"{d}/out/input/dt=*/hour=*/part-*.jsonl"))
    assert len(parts) >= 4, parts  # 1000 records, 300 per file (more if the hour turned during the run)
    assert f"{d}/out/input/dt={today}/hour=" in parts[0], parts  # event time of a file line = when it was read
    ids = [json.loads(l)["id"] for f in parts for l in read_lines(f)]
    assert sorted(ids) == list(range(1000))
    assert max(len(read_lines(f)) for f in parts) == 300

    # Same state dir: everything was checkpointed, nothing is read again.
    again = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state"], timeout=60)
    assert again.returncode == 0, again.stderr
    ids = [json.loads(l)["id"] for f in glob.glob(f"{d}/out/**/*.jsonl", recursive=True) for l in read_lines(f)]
    assert len(ids) == 1000


def test_static_sink_path_is_created_at_startup():
    d = tmpdir()
    write(f"{d}/in.log", "")
    write(f"{d}/p.yaml", f"""
sources:
  input: {{type: file, path: {d}/in.log, mode: follow, format: lines}}
sinks:
  out: {{type: file, inputs: [input], path: {d}/sub/out.jsonl}}
""")
    proc = start_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--no-watch"])
    try:
        wait_until(lambda: os.path.exists(f"{d}/sub/out.jsonl"), what="the sink file before any record")
        assert read_lines(f"{d}/sub/out.jsonl") == []
    finally:
        _stop(proc)


def test_csv_in_csv_out():
    d = tmpdir()
    write(f"{d}/in.csv", "id,city\n1,Oslo\n2,Lima\n\n3,Pune\n")
    write(f"{d}/p.yaml", f"""
sources:
  cities: {{type: file, path: {d}/in.csv, format: csv}}
sinks:
  out: {{type: file, inputs: [cities], path: {d}/out.csv, format: csv}}
""")
    p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state"], timeout=60)
    assert p.returncode == 0, p.stderr
    assert read_lines(f"{d}/out.csv") == ["id,city", "1,Oslo", "2,Lima", "3,Pune"]


def test_follow_survives_rotation_and_truncation():
    d = tmpdir()
    write(f"{d}/app.log", "a1\na2\n")
    proc = _follow_pipeline(d)
    try:
        wait_until(lambda: len(read_lines(f"{d}/out.jsonl")) >= 2, what="the first lines")
        _append(f"{d}/app.log", ["a3"])
        wait_until(lambda: len(read_lines(f"{d}/out.jsonl")) >= 3, what="an appended line")
        # Rename rotation: the old file gets a late line after the rename, then a new file appears.
        os.rename(f"{d}/app.log", f"{d}/app.log.1")
        _append(f"{d}/app.log.1", ["a4-late"])
        write(f"{d}/app.log", "b1\nb2\n")
        wait_until(lambda: len(read_lines(f"{d}/out.jsonl")) >= 6, what="lines after rotation")
        # Truncation (copytruncate): shorter than before -> read again from the start.
        write(f"{d}/app.log", "c\n")
        wait_until(lambda: len(read_lines(f"{d}/out.jsonl")) >= 7, what="the line after truncation")
    finally:
        if proc.poll() is None:
            _stop(proc)
    got = _messages(f"{d}/out.jsonl")
    assert got[:3] == ["a1", "a2", "a3"], got
    assert sorted(got[3:6]) == ["a4-late", "b1", "b2"], got
    assert got.index("b1") < got.index("b2")
    assert got[6:] == ["c"], got


def test_resume_after_restart_without_loss_or_duplicates():
    d = tmpdir()
    _append(f"{d}/app.log", [f"line-{i}" for i in range(100)])
    proc = _follow_pipeline(d)
    wait_until(lambda: len(read_lines(f"{d}/out.jsonl")) >= 100, what="100 lines")
    _append(f"{d}/app.log", [f"line-{i}" for i in range(100, 120)])
    wait_until(lambda: len(read_lines(f"{d}/out.jsonl")) >= 120, what="120 lines")
    _stop(proc)
    _append(f"{d}/app.log", [f"line-{i}" for i in range(120, 170)])  # written while pipe is down
    proc = _follow_pipeline(d)
    try:
        wait_until(lambda: len(read_lines(f"{d}/out.jsonl")) >= 170, what="the lines written while stopped")
        _append(f"{d}/app.log", ["line-170"])
        wait_until(lambda: len(read_lines(f"{d}/out.jsonl")) >= 171, what="a line after the restart")
    finally:
        _stop(proc)
    assert _messages(f"{d}/out.jsonl") == [f"line-{i}" for i in range(171)]


def test_on_error_fail_names_file_and_byte_offset():
    d = tmpdir()
    write(f"{d}/in.jsonl", '{"id": 1}\n{"id": 2}\n{broken\n{"id": 4}\n')
    write(f"{d}/p.yaml", f"""
sources:
  input: {{type: file, path: {d}/in.jsonl, format: json}}
sinks:
  out: {{type: file, inputs: [input], path: {d}/out.jsonl}}
""")
    p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state"], timeout=60)
    assert p.returncode != 0, p
    assert f"{d}/in.jsonl, byte offset 20" in p.stderr, p.stderr


def test_on_error_skip_and_dead_letter():
    d = tmpdir()
    write(f"{d}/in.jsonl", '{"id": 1}\n{broken\n{"id": 3}\nnot json either\n')
    for policy in ("skip", "dead_letter"):
        write(f"{d}/p.yaml", f"""
sources:
  input:
    type: file
    path: {d}/in.jsonl
    format: json
    on_error: {policy}
    dead_letter_path: {d}/{policy}/bad.jsonl
sinks:
  out: {{type: file, inputs: [input], path: {d}/{policy}/out.jsonl}}
""")
        p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state-{policy}"], timeout=60)
        assert p.returncode == 0, p.stderr
        assert [json.loads(l)["id"] for l in read_lines(f"{d}/{policy}/out.jsonl")] == [1, 3]
    assert not os.path.exists(f"{d}/skip/bad.jsonl")
    dead = [json.loads(l) for l in read_lines(f"{d}/dead_letter/bad.jsonl")]
    # Lines never decoded keep their bytes in raw_base64, and where they were in record.position: the file's lane
    # (device and inode) at the line's byte offset; the message names the path.
    st = os.stat(f"{d}/in.jsonl")
    lane = f"file {st.st_dev}:{st.st_ino}"
    assert [(x["stage"], x["record"]["position"], base64.b64decode(x["record"]["raw_base64"])) for x in dead] == [
        ("decode", f"{lane}@10", b"{broken"), ("decode", f"{lane}@28", b"not json either")], dead
    assert all(x["error"]["message"].startswith(f"{d}/in.jsonl, byte offset ") for x in dead)


def test_json_lines_that_are_not_objects_follow_on_error():
    """A json line is a record with fields: an array, a string, a number, true or null is a decode error that
    on_error decides about, as a line that is not JSON is (issue 19, item 8), from a file and from stdin."""
    d = tmpdir()
    lines = ['{"id": 1}', '[1,2,3]', '"bare string"', '42', 'true', 'null', '{"id": 7}']
    write(f"{d}/in.jsonl", "".join(l + "\n" for l in lines))
    source = f"{{type: file, path: {d}/in.jsonl, format: json, on_error: dead_letter, dead_letter_path: {d}/bad.jsonl}}"
    write(f"{d}/p.yaml", f"""
sources:
  input: {source}
sinks:
  out: {{type: file, inputs: [input], path: {d}/out.jsonl}}
""")
    p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state"], timeout=60)
    assert p.returncode == 0, p.stderr
    assert [json.loads(l) for l in read_lines(f"{d}/out.jsonl")] == [{"id": 1}, {"id": 7}]
    dead = [json.loads(l) for l in read_lines(f"{d}/bad.jsonl")]
    assert [base64.b64decode(x["record"]["raw_base64"]).decode() for x in dead] == lines[1:-1], dead
    assert [x["error"]["message"].split(": ", 1)[1] for x in dead] == [
        "expected a JSON object, got an array", "expected a JSON object, got a string",
        "expected a JSON object, got a number", "expected a JSON object, got a boolean",
        "expected a JSON object, got null"], dead

    write(f"{d}/stdin.yaml", f"""
sources:
  input: {{type: stdin, format: json}}
sinks:
  out: {{type: stdout, inputs: [input], format: json}}
""")
    p = run_pipe(["run", f"{d}/stdin.yaml", "--state-dir", f"{d}/state-stdin"], timeout=60, input="{\"id\": 1}\n[1,2,3]\n")
    assert p.returncode != 0, p
    assert "expected a JSON object, got an array" in p.stderr, p.stderr


def test_stdin_to_stdout_formats():
    d = tmpdir()
    write(f"{d}/p.yaml", """
sources:
  input: {type: stdin, format: json}
sinks:
  out: {type: stdout, inputs: [input], format: csv}
""")
    p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state"], timeout=60,
                 input='{"a": 1, "b": "x"}\n{"a": 2, "b": "y"}\n{"a": 3, "b": "z"}')
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines() == ["a,b", "1,x", "2,y", "3,z"], p.stdout


def test_blackhole_counts_everything():
    d = tmpdir()
    write(f"{d}/in.jsonl", "".join(json.dumps({"i": i}) + "\n" for i in range(50000)))
    write(f"{d}/p.yaml", f"""
sources:
  input: {{type: file, path: {d}/in.jsonl, format: json}}
sinks:
  discard: {{type: blackhole, inputs: [input], print_interval: 10s}}
""")
    p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state"], timeout=60)
    assert p.returncode == 0, p.stderr
    assert "blackhole discard: 50000 records in total" in p.stderr, p.stderr


def test_logs_to_files_example():
    d = tmpdir()
    sample = os.path.join(ROOT, "pipelines", "samples", "app.log")
    lines = read_lines(sample)
    errors = [l for l in lines if " ERROR " in l]
    assert len(lines) == 200 and errors
    write(f"{d}/app.log", "".join(l + "\n" for l in lines))
    proc = start_pipe(["run", os.path.join(ROOT, "pipelines", "logs-to-files.yaml"), "--state-dir", f"{d}/state",
                       "--no-watch"], env={"LOG_PATH": f"{d}/app.log", "OUT_DIR": f"{d}/out"})
    try:
        wait_until(lambda: len(read_lines(f"{d}/out/errors.jsonl")) >= len(errors), timeout=30,
                   what="the error lines")
        wait_until(lambda: sum(len(read_lines(f)) for f in glob.glob(f"{d}/out/all/dt=*/hour=*/part-*.jsonl")) >= 200,
                   timeout=30, what="the archive")
    finally:
        _stop(proc)
    assert [json.loads(l)["message"] for l in read_lines(f"{d}/out/errors.jsonl")] == errors
    archived = [json.loads(l)["message"] for f in sorted(glob.glob(f"{d}/out/all/dt=*/hour=*/part-*.jsonl"))
                for l in read_lines(f)]
    assert sorted(archived) == sorted(lines)
