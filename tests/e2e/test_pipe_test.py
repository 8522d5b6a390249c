"""`pipe test` (YAML pipeline tests) and `pipe conformance` (ksqlDB vectors), driven through the real binary."""
import glob
import os
import re
import selectors
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
import json  # noqa: E402
import time  # noqa: E402

from harness import ROOT, SHARED, Skip, run_pipe, start_pipe, tmpdir, write  # noqa: E402

PIPELINES = os.path.join(ROOT, "pipelines")
VECTORS = os.path.join(SHARED, "conformance", "ksql-qtt")

DOUBLE_IT = """
statements: |
  CREATE STREAM numbers (id INT KEY, n INT) WITH (KAFKA_TOPIC='numbers', VALUE_FORMAT='JSON');
  CREATE STREAM doubled AS SELECT id, n * 2 AS twice FROM numbers WHERE n > 0 EMIT CHANGES;
"""


def _summary(output):
    m = re.search(r"^(\d+) passed, (\d+) failed$", output, re.M)
    assert m, f"no 'N passed, N failed' line in:\n{output}"
    return int(m.group(1)), int(m.group(2))


def test_example_pipeline_tests_pass():
    files = sorted(glob.glob(os.path.join(PIPELINES, "*.test.yaml")))
    assert len(files) >= 5, f"expected the four SQL example tests and clickstream-kafka's, found {files}"
    for f in files:
        p = run_pipe(["test", f], timeout=120, cwd=ROOT)
        passed, failed = _summary(p.stdout)
        assert p.returncode == 0 and failed == 0 and passed >= 1, \
            f"pipe test {f} exited {p.returncode}\n{p.stdout}\n{p.stderr}"


def test_sql_behaviour_tests_pass():
    files = sorted(glob.glob(os.path.join(ROOT, "tests", "sql", "*.test.yaml")))
    assert files, "no tests/sql/*.test.yaml files"
    p = run_pipe(["test"] + files, timeout=120, cwd=ROOT)
    passed, failed = _summary(p.stdout)
    assert p.returncode == 0 and failed == 0 and passed >= len(files), f"{p.stdout}\n{p.stderr}"


def test_a_folder_runs_every_test_file_under_it():
    """`pipe test pipelines/` runs each *.test.yaml there (it crashed on "Is a directory"); a folder without test
    files fails, naming it."""
    files = sorted(glob.glob(os.path.join(PIPELINES, "*.test.yaml")))
    p = run_pipe(["test", PIPELINES], timeout=300, cwd=ROOT)
    passed, failed = _summary(p.stdout)
    ran = {line.split(":")[0].split(" ", 1)[1] for line in p.stdout.splitlines() if line.startswith("PASS ")}
    assert p.returncode == 0 and failed == 0 and ran == set(files), f"{p.stdout}\n{p.stderr}"
    empty = tmpdir()
    p = run_pipe(["test", empty], timeout=30)
    assert p.returncode == 1 and "a folder without test files" in p.stdout and "internal error" not in p.stderr, \
        p.stdout + p.stderr


def test_every_example_test_names_an_existing_pipeline():
    for f in glob.glob(os.path.join(PIPELINES, "*.test.yaml")):
        text = open(f).read()
        m = re.search(r"^pipeline:\s*(\S+)", text, re.M)
        assert m, f"{f} does not name its pipeline"
        assert os.path.exists(os.path.join(PIPELINES, m.group(1))), f"{f}: {m.group(1)} is missing"


# What each example pipeline's output records must look like when run on its generator sources.
EXAMPLE_OUTPUT_FIELDS = {
    "sql-vip-actions.yaml": {"PAGE", "ACTION"},
    "sql-possible-fraud.yaml": {"CARD_NUMBER", "WINDOWSTART", "WINDOWEND", "KSQL_COL_0"},  # a table: key, window
    "sql-invalid-users.yaml": {"HOST", "FACILITY", "MESSAGE"},
    "sql-repartition.yaml": {"RATING_ID", "STARS", "CHANNEL", "MESSAGE"},
}


def test_example_pipelines_run_on_their_sources():
    for name, fields in EXAMPLE_OUTPUT_FIELDS.items():
        path = os.path.join(PIPELINES, name)
        # A fresh state dir: the default one is derived from the pipeline's path, so it would outlive this run.
        proc = start_pipe(["run", path, "--state-dir", f"{tmpdir()}/state"])
        lines = []
        try:
            deadline = time.time() + 20
            # stdout is read line by line; the fraud pipeline needs a few seconds of attempts per window.
            ready = selectors.DefaultSelector()
            ready.register(proc.stdout, selectors.EVENT_READ)
            while time.time() < deadline and len(lines) < 2:
                if not ready.select(timeout=max(0.0, deadline - time.time())):
                    break  # nothing printed before the deadline
                line = proc.stdout.readline()
                if not line:
                    break
                if line.startswith("{"):
                    lines.append(json.loads(line))
        finally:
            proc.terminate()
            proc.wait(timeout=10)
        assert len(lines) >= 2, f"pipe run {name} printed {lines}\nstderr: {proc.stderr.read()}"
        for record in lines:
            assert set(record) == fields, f"{name}: unexpected record {record}"
        if name == "sql-possible-fraud.yaml":
            assert all(r["KSQL_COL_0"] > 3 for r in lines), lines
        if name == "sql-invalid-users.yaml":
            assert all("Invalid user" in r["MESSAGE"] for r in lines), lines


def test_wrong_expectation_fails_with_a_diff():
    d = tmpdir()
    path = write(os.path.join(d, "wrong.test.yaml"), DOUBLE_IT + """
inputs:
  numbers:
    - {key: 1, value: {n: 5}, timestamp: 10}
    - {key: 2, value: {n: -1}, timestamp: 20}
outputs:
  doubled:
    - {key: 1, value: {TWICE: 11}, timestamp: 10}
""")
    p = run_pipe(["test", path])
    assert p.returncode == 1, f"a wrong expectation must fail\n{p.stdout}\n{p.stderr}"
    assert _summary(p.stdout) == (0, 1)
    assert "FAIL" in p.stdout
    assert "expected" in p.stdout and "actual" in p.stdout, p.stdout
    assert '{"TWICE":11}' in p.stdout.replace(" ", "") and '{"TWICE":10}' in p.stdout.replace(" ", ""), p.stdout


def test_correct_inline_test_passes_and_extra_records_fail():
    d = tmpdir()
    good = write(os.path.join(d, "good.test.yaml"), DOUBLE_IT + """
tests:
  - name: positive numbers are doubled
    inputs:
      numbers:
        - {key: 1, value: {n: 5}, timestamp: 10}
        - {key: 2, value: {n: -1}, timestamp: 20}
        - {key: 3, value: {n: 1}, timestamp: 30}
    outputs:
      doubled:
        - {key: 1, value: {TWICE: 10}, timestamp: 10}
        - {key: 3, value: {TWICE: 2}}
  - name: nothing positive, nothing out
    inputs:
      - {stream: numbers, key: 1, value: {n: 0}}
    outputs:
      doubled: []
""")
    p = run_pipe(["test", good])
    assert p.returncode == 0, f"{p.stdout}\n{p.stderr}"
    assert _summary(p.stdout) == (2, 0)

    extra = write(os.path.join(d, "extra.test.yaml"), DOUBLE_IT + """
inputs:
  numbers:
    - {key: 1, value: {n: 5}}
    - {key: 2, value: {n: 6}}
outputs:
  doubled:
    - {key: 1, value: {TWICE: 10}}
""")
    p = run_pipe(["test", extra])
    assert p.returncode == 1, p.stdout
    assert "extra" in p.stdout, p.stdout


def test_expected_error_and_malformed_files():
    d = tmpdir()
    rejected = write(os.path.join(d, "rejected.test.yaml"), """
statements: "CREATE STREAM broken AS SELECT nope FROM missing_source;"
error: ""
""")
    p = run_pipe(["test", rejected])
    assert p.returncode == 0, f"a rejected statement with `error:` must pass\n{p.stdout}\n{p.stderr}"

    accepted = write(os.path.join(d, "accepted.test.yaml"), DOUBLE_IT + "error: whatever\n")
    p = run_pipe(["test", accepted])
    assert p.returncode == 1 and "accepted" in p.stdout, p.stdout

    bad = write(os.path.join(d, "bad.test.yaml"), DOUBLE_IT + "outputs: {doubled: []}\nbogus_key: 1\n")
    p = run_pipe(["test", bad])
    assert p.returncode == 1, p.stdout
    assert re.search(r"bad\.test\.yaml:\d+:\d+: unknown key 'bogus_key'", p.stdout), p.stdout


def test_conformance_skips_without_vectors():
    p = run_pipe(["conformance", "--dir", "/nonexistent/vectors"], cwd=ROOT)
    assert p.returncode == 0, p.stdout
    assert "conformance: skipped (no vectors at /nonexistent/vectors)" in p.stdout


def test_conformance_summary_and_known_gaps_update():
    if not os.path.isdir(VECTORS):
        raise Skip(f"no conformance vectors at {VECTORS}")
    d = tmpdir()
    gaps = os.path.join(d, "gaps.txt")
    args = ["conformance", "--dir", VECTORS, "--known-gaps", gaps, "--family", "like-regex"]
    first = run_pipe(args + ["--update-known-gaps"], timeout=120, cwd=ROOT)
    m = re.search(r"^conformance-summary: passed=(\d+) failed=(\d+) known_gaps=(\d+)$", first.stdout, re.M)
    assert m, first.stdout
    passed, failed, known = map(int, m.groups())
    assert passed + known == 5 and failed == 0, first.stdout  # like-regex has five cases
    assert re.search(r"^conformance: \d+/5 passed \(\d+\.\d%\)$", first.stdout, re.M), first.stdout
    listed = [l for l in open(gaps) if l.strip() and not l.startswith("#")]
    assert len(listed) == known and all(l.count(" | ") >= 3 for l in listed), listed

    again = run_pipe(args, timeout=120, cwd=ROOT)
    assert again.returncode == 0, again.stdout
    assert f"passed={passed} failed=0 known_gaps={known}" in again.stdout

    # With an empty known-gaps file every failure counts, and the exit code says so.
    write(gaps, "# empty\n")
    strict = run_pipe(args, timeout=120, cwd=ROOT)
    assert strict.returncode == (1 if known else 0), strict.stdout
    assert f"failed={known} known_gaps=0" in strict.stdout


def test_conformance_listed_case_that_passes_is_reported():
    if not os.path.isdir(VECTORS):
        raise Skip(f"no conformance vectors at {VECTORS}")
    d = tmpdir()
    gaps = os.path.join(d, "gaps.txt")
    args = ["conformance", "--dir", VECTORS, "--known-gaps", gaps, "--family", "filter-project"]
    write(gaps, "")
    p = run_pipe(args, timeout=120, cwd=ROOT)
    m = re.search(r"passed=(\d+)", p.stdout)
    if not m or int(m.group(1)) == 0:
        raise Skip("no filter-project case passes yet")
    ok = re.findall(r"^FAIL (.*)$", p.stdout, re.M)
    # List a case that passes: find one by elimination from the vectors.
    import json
    failing = set(ok)
    for line in open(os.path.join(VECTORS, "filter-project-expressions.jsonl")):
        c = json.loads(line)
        ident = f"{c['family']} | {c['file']} | {c['name']}"
        if ident not in failing:
            write(gaps, ident + " | pretend gap\n")
            break
    p = run_pipe(args, timeout=120, cwd=ROOT)
    assert "now passing, remove from known gaps: " + ident in p.stdout, p.stdout


def test_every_example_pipeline_has_a_test_file():
    """`pipe test` drives any pipeline, with or without SQL: each example under pipelines/ has its test, which
    test_example_pipeline_tests_pass runs."""
    pipelines = {os.path.basename(f)[:-len(".yaml")] for f in glob.glob(os.path.join(PIPELINES, "*.yaml"))
                 if not f.endswith(".test.yaml")}
    tested = {os.path.basename(f)[:-len(".test.yaml")] for f in glob.glob(os.path.join(PIPELINES, "*.test.yaml"))}
    assert pipelines - tested == set(), f"example pipelines without a test file: {sorted(pipelines - tested)}"


# No SQL in the first stages: a source chain (ValueToKey, InsertHeader), two SMT stages, then a SQL stage with a
# window, and sinks with chains of their own (RegexRouter, Filter). The connectors are never opened: the http and
# kafka addresses below lead nowhere.
WHOLE_PIPELINE = """
sources:
  orders:
    type: http
    address: 127.0.0.1:1
    transforms:
      - {type: ValueToKey, fields: [customer]}
      - {type: InsertHeader, header: origin, value.literal: web}
transforms:
  priced:
    type: Cast
    inputs: [orders]
    spec: "amount:float64"
  tagged:
    type: InsertField
    inputs: [priced]
    static.field: channel
    static.value: shop
  totals:
    type: sql
    inputs: [tagged]
    sql: |
      CREATE STREAM tagged (customer STRING, amount DOUBLE, channel STRING)
        WITH (KAFKA_TOPIC='tagged', VALUE_FORMAT='JSON');
      CREATE TABLE spend AS
        SELECT customer, SUM(amount) AS total FROM tagged WINDOW TUMBLING (SIZE 10 SECONDS)
        GROUP BY customer EMIT CHANGES;
sinks:
  routed:
    type: kafka
    inputs: [tagged]
    bootstrap_servers: 127.0.0.1:1
    topic: "{topic}"
    transforms:
      - {type: RegexRouter, regex: "(.*)", replacement: "shop-$1"}
  big:
    type: stdout
    inputs: [tagged]
    transforms:
      - {type: Filter, condition: "amount >= 100"}
  report:
    type: stdout
    inputs: [spend]
"""


def _whole_pipeline(d):
    return write(os.path.join(d, "shop.yaml"), WHOLE_PIPELINE)


def test_a_whole_pipeline_runs_source_chains_smt_stages_sql_and_sink_chains():
    d = tmpdir()
    _whole_pipeline(d)
    path = write(os.path.join(d, "shop.test.yaml"), """
pipeline: shop.yaml
tests:
  - name: every stage and chain on the way
    inputs:
      orders:
        - {value: {customer: ann, amount: "40"}, timestamp: 1000}
        - {value: {customer: bo, amount: "150.5"}, timestamp: 2000}
        - {value: {customer: ann, amount: "70"}, timestamp: 3000}
    outputs:
      routed:
        - {key: {customer: ann}, value: {customer: ann, amount: 40.0, channel: shop}, headers: {origin: web}, topic: shop-orders, timestamp: 1000}
        - {key: {customer: bo}, value: {customer: bo, amount: 150.5, channel: shop}, headers: {origin: web}, topic: shop-orders}
        - {key: {customer: ann}, value: {customer: ann, amount: 70.0, channel: shop}, headers: {origin: web}, topic: shop-orders}
      big:
        - {key: {customer: bo}, value: {customer: bo, amount: 150.5, channel: shop}}
      priced:
        - {key: {customer: ann}, value: {customer: ann, amount: 40.0}}
        - {key: {customer: bo}, value: {customer: bo, amount: 150.5}}
        - {key: {customer: ann}, value: {customer: ann, amount: 70.0}}
""")
    p = run_pipe(["test", path], timeout=60)
    assert p.returncode == 0 and _summary(p.stdout) == (1, 0), f"{p.stdout}\n{p.stderr}"

    # The SQL stage's table rows, keyed and windowed; what the test expects wrongly is shown, per sink.
    wrong = write(os.path.join(d, "wrong.test.yaml"), """
pipeline: shop.yaml
tests:
  - name: windows
    inputs:
      orders:
        - {value: {customer: ann, amount: 40}, timestamp: 1000}
        - {value: {customer: ann, amount: 70}, timestamp: 3000}
    outputs:
      report:
        - {key: ann, value: {TOTAL: 40.0}, window: {start: 0, end: 10000}}
        - {key: ann, value: {TOTAL: 110.0}, window: {start: 0, end: 10000}}
  - name: the topic is compared when given
    inputs:
      orders:
        - {value: {customer: ann, amount: 1}}
    outputs:
      routed:
        - {key: {customer: ann}, value: {customer: ann, amount: 1.0, channel: shop}, topic: orders}
""")
    p = run_pipe(["test", wrong], timeout=60)
    assert _summary(p.stdout) == (1, 1), f"{p.stdout}\n{p.stderr}"
    assert "PASS " + wrong + ": windows" in p.stdout, p.stdout
    assert "FAIL " + wrong + ": the topic is compared when given" in p.stdout and "shop-orders" in p.stdout, p.stdout


def test_an_expected_sink_or_stream_that_does_not_exist_is_an_error():
    d = tmpdir()
    _whole_pipeline(d)
    misspelled = write(os.path.join(d, "misspelled.test.yaml"), """
pipeline: shop.yaml
inputs:
  orders:
    - {value: {customer: ann, amount: 1}}
outputs:
  routd: []
""")
    p = run_pipe(["test", misspelled], timeout=60)
    assert p.returncode == 1 and _summary(p.stdout) == (0, 1), p.stdout
    assert "outputs: no sink or stream 'routd' in" in p.stdout and "(did you mean 'routed'?)" in p.stdout, p.stdout
    unknown_input = write(os.path.join(d, "input.test.yaml"), """
pipeline: shop.yaml
inputs:
  ordres:
    - {value: {customer: ann, amount: 1}}
outputs:
  routed: []
""")
    p = run_pipe(["test", unknown_input], timeout=60)
    assert p.returncode == 1 and "inputs: no source or stream 'ordres'" in p.stdout, p.stdout
    assert "(did you mean 'orders'?)" in p.stdout, p.stdout
    # Inline statements too: a stream no statement creates cannot be expected to stay empty.
    inline = write(os.path.join(d, "inline.test.yaml"), DOUBLE_IT + """
inputs:
  numbers:
    - {key: 1, value: {n: 5}}
outputs:
  doubld: []
""")
    p = run_pipe(["test", inline], timeout=60)
    assert p.returncode == 1 and "outputs: no statement creates the stream 'doubld'" in p.stdout, p.stdout
    assert "(did you mean 'doubled'?)" in p.stdout, p.stdout


def test_a_transform_that_fails_a_record_fails_the_test_or_passes_an_error_test():
    d = tmpdir()
    _whole_pipeline(d)
    path = write(os.path.join(d, "cast.test.yaml"), """
pipeline: shop.yaml
tests:
  - name: amount is no number
    inputs:
      orders:
        - {value: {customer: ann, amount: lots}}
    outputs:
      routed: []
  - name: amount is no number, expected
    inputs:
      orders:
        - {value: {customer: ann, amount: lots}}
    error: lots
""")
    p = run_pipe(["test", path, "--junit", os.path.join(d, "junit.xml")], timeout=60)
    assert p.returncode == 1 and _summary(p.stdout) == (1, 1), p.stdout
    assert "the pipeline failed: " in p.stdout, p.stdout
    junit = open(os.path.join(d, "junit.xml")).read()
    assert 'tests="2"' in junit and 'failures="1"' in junit, junit
