"""Validation in one pass (issue 25, item 4, in part): a component that fails to build reports its own error, and
the streams it would have produced are not reported again as missing where they are read."""
from harness import run_pipe, tmpdir, write


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
    assert any(l.startswith(f"{p}:7:10: sql: ") for l in lines), lines  # (its text is the SQL engine's)
    assert [l for l in lines if "which no source or transform produces" in l] == [
        f"{p}:13:33: typo: reads the stream 'cliks', which no source or transform produces (did you mean 'clicks'?)"
    ], lines
