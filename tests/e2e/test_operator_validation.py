"""Validation in one pass (issue 25, item 4): a component that fails to build reports its own error, and
the streams it would have produced are not reported again as missing where they are read; several files and
folders are checked in one run."""
import glob
import os

from harness import ROOT, run_pipe, tmpdir, write

BROKEN = sorted(glob.glob(os.path.join(ROOT, "tests", "pipelines", "broken", "*.yaml")))


def test_a_failed_source_or_sql_statement_causes_no_knock_on_errors():
    d = tmpdir()
    p = write(f"{d}/p.yaml", f"""sources:
  clicks: {{type: file, path: {d}/in.jsonl, batch_size: 0}}
transforms:
  q:
    type: sql
    inputs: [clicks]
    sql: |
      CREATE STREAM clicks (page STRING) WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON');
      CREATE TABLE counts AS SELECT page, COUNTT(*) AS n FROM clicks GROUP BY page EMIT CHANGES;
sinks:
  out: {{type: stdout, inputs: [counts]}}
  raw: {{type: stdout, inputs: [clicks]}}
  typo: {{type: stdout, inputs: [cliks]}}
""")
    r = run_pipe(["validate", p])
    assert r.returncode == 2, r
    lines = r.stderr.splitlines()
    assert any(l.startswith(f"{p}:2:") and "batch_size: must be positive" in l for l in lines), lines
    # At the file's line and column of the mistake inside the `sql: |` block, said once.
    assert f"{p}:9:43: unknown function COUNTT, did you mean COUNT?" in lines, lines
    assert [l for l in lines if "which no source or transform produces" in l] == [
        f"{p}:13:33: typo: reads the stream 'cliks', which no source or transform produces (did you mean 'clicks'?)"
    ], lines


def test_each_broken_pipeline_gets_every_mistake_once_at_its_position_and_nothing_else():
    """tests/pipelines/broken/: files with several mistakes each (options, SQL, stream names), each listed in the
    file's `# expect: line:col: message` comments (the start of the line pipe prints, which may go on with the
    valid keys). One `pipe validate` run reports exactly those, one line each."""
    assert len(BROKEN) >= 2, BROKEN
    for f in BROKEN:
        expected = [f"{f}:{line.split('expect:', 1)[1].strip()}" for line in open(f) if line.startswith("# expect:")]
        assert expected, f"{f} lists no `# expect:` lines"
        r = run_pipe(["validate", f])
        reported = [line for line in r.stderr.splitlines() if line.startswith(f + ":")]
        assert r.returncode == 2, r
        unmatched = list(reported)
        missing = []
        for e in expected:
            match = next((r for r in unmatched if r == e or r.startswith(e + " ")), None)
            if match is None:
                missing.append(e)
            else:
                unmatched.remove(match)
        assert not missing and not unmatched, f"{f}:\nmissing: {missing}\nunexpected: {unmatched}"
        assert r.stderr.splitlines()[-1] == f"{len(expected)} errors in {f}", r.stderr


def test_validate_takes_several_files_and_folders_in_one_run():
    """`pipe validate pipelines/ tests/pipelines/broken/`: a folder stands for the pipeline files under it (its
    `*.test.yaml` test files left out); every file is checked and its errors listed, then one count; exit 2 if any
    file is invalid, 0 when all are valid."""
    examples = sorted(f for f in glob.glob(os.path.join(ROOT, "pipelines", "*.yaml")) if not f.endswith(".test.yaml"))
    good = run_pipe(["validate", os.path.join(ROOT, "pipelines")])
    assert good.returncode == 0, good
    assert [line.split(": valid")[0] for line in good.stdout.splitlines()[:-1]] == examples, good.stdout
    assert good.stdout.splitlines()[-1] == f"{len(examples)} files: {len(examples)} valid, 0 invalid", good.stdout

    quickstart = os.path.join(ROOT, "pipelines", "quickstart.yaml")
    mixed = run_pipe(["validate", BROKEN[0], quickstart, BROKEN[1]])
    assert mixed.returncode == 2, mixed
    assert mixed.stdout.splitlines() == [f"{quickstart}: valid (1 sources, 0 transforms, 1 sinks)",
                                         "3 files: 1 valid, 2 invalid"], mixed.stdout
    for f in BROKEN[:2]:
        assert any(line.startswith(f + ":") for line in mixed.stderr.splitlines()), (f, mixed.stderr)
        assert f" errors in {f}" in mixed.stderr, mixed.stderr
    one_missing = run_pipe(["validate", quickstart, "/nonexistent/p.yaml"])
    assert one_missing.returncode == 2 and "/nonexistent/p.yaml" in one_missing.stderr, one_missing
