"""No input may abort the process (issue 19, item 2). Each hostile input below aborted `pipe` (exit 134,
`terminate called after throwing an instance of 'std::out_of_range'`) or never ended; each must now be a located
error: file:line:col for YAML, the position in the statements for SQL, with exit 2 from `validate` and `run`.
Some were found by probing beyond the issue's list (queue_capacity 65,535, deeply nested SQL, DECIMAL scale 999)."""
import json
import os
import re
import signal
import time

from harness import read_lines, run_pipe, start_pipe, tmpdir, wait_until, write

GENERATOR = """
sources:
  src: {{type: generator, dataset: users, count: 3{extra}}}
"""

FILE_SINK = """sinks:
  out: {{type: file, inputs: [{stream}], path: "{d}/out.jsonl"}}
"""


def _sql(statements):
    """A generator feeding a SQL stage whose statements are `statements` (indented under `sql: |`)."""
    body = "\n".join("      " + line for line in statements.strip().split("\n"))
    return GENERATOR.replace("{extra}", "") + """transforms:
  q:
    type: sql
    inputs: [src]
    sql: |
      CREATE STREAM src (user_id VARCHAR, region VARCHAR) WITH (KAFKA_TOPIC='src', VALUE_FORMAT='JSON');
""" + body + "\n" + FILE_SINK.replace("{stream}", "o")


# (name, pipeline text with {d}, extra command-line arguments, a regex the error must match). A SQL error is at
# the file's line and column: SQL line 2 is file line 10, its columns after the block's 6 spaces.
CASES = [
    ("queue_capacity beyond 64 bits",
     GENERATOR.replace("{extra}", "") + FILE_SINK.replace("{stream}", "src") +
     "settings: {{queue_capacity: 99999999999999999999}}\n",
     [], r"p\.yaml:6:28: queue_capacity: expected an integer from 1 to 65534"),
    ("queue_capacity beyond the queue's 16-bit node indexes",
     GENERATOR.replace("{extra}", "") + FILE_SINK.replace("{stream}", "src") + "settings: {{queue_capacity: 65535}}\n",
     [], r"p\.yaml:6:28: queue_capacity: expected an integer from 1 to 65534"),
    ("--set value that is not YAML",
     GENERATOR.replace("{extra}", "") + FILE_SINK.replace("{stream}", "src"),
     ["--set", "sinks.out.path=["], r"--set sinks\.out\.path=\[:1:16: the value is not valid YAML"),
    ("--set value of the wrong type: the error names the assignment, not the file",
     GENERATOR.replace("{extra}", "") + FILE_SINK.replace("{stream}", "src"),
     ["--set", "sources.src.count=abc"], r"(?m)^--set sources\.src\.count=abc: src: count: expected an integer"),
    ("LIMIT beyond 64 bits",
     _sql("CREATE STREAM o AS SELECT user_id FROM src EMIT CHANGES LIMIT 99999999999999999999;"),
     [], r"p\.yaml:10:69: a LIMIT out of range.* near '9{20}'"),
    ("DECIMAL precision beyond int",
     _sql("CREATE STREAM o AS SELECT CAST(user_id AS DECIMAL(99999999999,2)) AS x FROM src;"),
     [], r"p\.yaml:10:57: DECIMAL precision out of range.* near '9{11}'"),
    ("DECIMAL scale beyond int",
     _sql("CREATE STREAM o AS SELECT CAST(user_id AS DECIMAL(10, 99999999999)) AS x FROM src;"),
     [], r"p\.yaml:10:61: DECIMAL scale out of range.* near '9{11}'"),
    ("DECIMAL scale beyond 128 bits (SIGFPE)",
     _sql("CREATE STREAM o AS SELECT CAST(1 AS DECIMAL(1000, 999)) + 1 AS x FROM src;"),
     [], r"p\.yaml:10:57: DECIMAL scale out of range: expected 0 to 38 near '999'"),
    ("window size beyond 64 bits",
     _sql("CREATE TABLE o AS SELECT region, COUNT(*) AS n FROM src\n"
          "  WINDOW TUMBLING (SIZE 99999999999999999999 SECONDS) GROUP BY region;"),
     [], r"p\.yaml:11:31: a duration out of range.* near '9{20}'"),
    ("PARTITIONS beyond 64 bits",
     _sql("CREATE STREAM o WITH (PARTITIONS=99999999999999999999) AS SELECT user_id FROM src;"),
     [], r"p\.yaml:10:40: the value of PARTITIONS out of range.* near '9{20}'"),
    ("expressions nested 100,000 deep (a stack overflow)",
     _sql("CREATE STREAM o AS SELECT " + "(" * 100000 + "1" + ")" * 100000 + " AS x FROM src;"),
     [], r"p\.yaml:10:\d+: nested more than 256 levels deep"),
    ("YAML flow collections nested 5,000 deep (yaml-cpp said \"bad file\")",
     GENERATOR.replace("{extra}", "") + FILE_SINK.replace("{stream}", "src") +
     "extra: " + "[" * 5000 + "]" * 5000 + "\n",
     [], r"p\.yaml:\d+:\d+: nested more than 256 levels deep"),
    ("generator start_time beyond 64 bits",
     GENERATOR.replace("{extra}", ", start_time: '99999999999999999999'") + FILE_SINK.replace("{stream}", "src"),
     [], r"p\.yaml:3:64: start_time: expected `now`, epoch milliseconds"),
    ("generator rate beyond a double",
     GENERATOR.replace("{extra}", ", rate: 1e400") + FILE_SINK.replace("{stream}", "src"),
     [], r"p\.yaml:3:58: src: rate: expected a finite number"),
    ("generator rate too small to ever pace a record",
     GENERATOR.replace("{extra}", ", rate: 1e-300") + FILE_SINK.replace("{stream}", "src"),
     [], r"p\.yaml:3:58: rate: must be 0 \(unthrottled\) or a number of records per second"),
    ("an integer option beyond 64 bits",
     GENERATOR.replace("count: 3{extra}", "count: 99999999999999999999") + FILE_SINK.replace("{stream}", "src"),
     [], r"p\.yaml:3:49: src: count: expected an integer between"),
]


def _assert_no_abort(p, what):
    assert p.returncode >= 0 and p.returncode != 134, f"{what}: killed by a signal ({p.returncode})\n{p.stderr}"
    for marker in ("terminate called", "core dumped", "Aborted"):
        assert marker not in p.stderr, f"{what}: {marker}\n{p.stderr}"


def _check(args, expected_code, pattern, what):
    p = run_pipe(args, timeout=30)
    _assert_no_abort(p, what)
    assert p.returncode == expected_code, f"{what}: exit {p.returncode}, expected {expected_code}\n{p.stderr}"
    assert re.search(pattern, p.stderr), f"{what}: no match for {pattern!r} in:\n{p.stderr}"


def test_each_hostile_input_is_a_located_error_from_validate_and_run():
    for name, text, args, pattern in CASES:
        d = tmpdir()
        path = write(f"{d}/p.yaml", text.format(d=d))
        _check(["validate", path] + args, 2, pattern, f"validate: {name}")
        _check(["run", path, "--state-dir", f"{d}/state", "--no-watch"] + args, 2, pattern, f"run: {name}")
        assert not os.path.exists(f"{d}/out.jsonl") or not read_lines(f"{d}/out.jsonl"), name


def test_a_pipeline_file_that_is_a_device_a_directory_or_missing_is_an_error_naming_it():
    d = tmpdir()
    for path, pattern in [("/dev/zero", r"/dev/zero: larger than 16 MiB"),
                          (d, re.escape(d) + r": is a directory"),
                          (f"{d}/missing.yaml", re.escape(f"{d}/missing.yaml") + r": cannot read the pipeline file")]:
        _check(["validate", path], 2, pattern, f"validate {path}")
        _check(["run", path, "--state-dir", f"{d}/state", "--no-watch"], 2, pattern, f"run {path}")


def test_a_finite_generator_with_an_extreme_rate_ends_or_is_refused():
    # rate 1e400 never finished (an infinite rate); the largest accepted rate ends at once.
    d = tmpdir()
    path = write(f"{d}/p.yaml", (GENERATOR.replace("{extra}", ", rate: 1e9") + FILE_SINK.replace("{stream}", "src"))
                 .format(d=d))
    p = run_pipe(["run", path, "--state-dir", f"{d}/state", "--no-watch"], timeout=30)
    _assert_no_abort(p, "rate 1e9")
    assert p.returncode == 0, p.stderr
    assert len(read_lines(f"{d}/out.jsonl")) == 3


def test_a_reload_to_a_hostile_file_keeps_the_running_pipeline():
    d = tmpdir()
    write(f"{d}/in.log", "")
    good = f"""
sources:
  input: {{type: file, path: {d}/in.log, mode: follow, format: json}}
sinks:
  out: {{type: file, inputs: [input], path: {d}/out.jsonl, format: jsonl, flush_interval: 100ms}}
"""
    pipeline = write(f"{d}/p.yaml", good)
    proc = start_pipe(["run", pipeline, "--state-dir", f"{d}/state"])

    def append(ids):
        with open(f"{d}/in.log", "a") as fh:
            for i in ids:
                fh.write(json.dumps({"id": i}) + "\n")
    try:
        append(range(0, 50))
        wait_until(lambda: len(read_lines(f"{d}/out.jsonl")) >= 50, what="the first 50 records")
        hostile = [good + "settings: {queue_capacity: 99999999999999999999}\n",
                   f"""
sources:
  gen: {{type: generator, dataset: users, start_time: '99999999999999999999'}}
sinks:
  out: {{type: file, inputs: [gen], path: {d}/out.jsonl}}
"""]
        for n, text in enumerate(hostile):
            write(pipeline + ".new", text)
            os.replace(pipeline + ".new", pipeline)  # one change event: no empty file in between
            time.sleep(1.0)
            assert proc.poll() is None, f"a reload to hostile version {n} ended the process"
            append(range(50 + n * 50, 100 + n * 50))
            wait_until(lambda: len(read_lines(f"{d}/out.jsonl")) >= 100 + n * 50,
                       what=f"records after hostile version {n}")
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert err.count("the new pipeline file is invalid") == 2, err
    assert "queue_capacity: expected an integer" in err and "start_time: expected" in err, err
    assert "terminate called" not in err, err
    ids = [json.loads(line)["id"] for line in read_lines(f"{d}/out.jsonl")]
    assert sorted(ids) == list(range(150)), ids
