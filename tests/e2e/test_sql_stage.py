"""The `sql` pipeline stage (src/sql/stage) through the binary: table changes reach sinks as the last update per
key of each input batch, like ksqlDB's record cache, unless ksql.streams.cache.max.bytes.buffering is 0."""
import json

from harness import read_lines, run_pipe, tmpdir, write

PAGES = ["/a", "/b", "/a", "/a", "/b", "/b", "/a"]


def _run_counts(properties=""):
    d = tmpdir()
    write(f"{d}/in.jsonl", "".join(json.dumps({"page": p}) + "\n" for p in PAGES))
    write(f"{d}/p.yaml", f"""
sources:
  clicks: {{type: file, path: {d}/in.jsonl, mode: read, format: json}}
transforms:
  q:
    type: sql
    inputs: [clicks]
{properties}
    sql: |
      CREATE STREAM clicks (page VARCHAR) WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON');
      CREATE TABLE counts AS SELECT page, COUNT(*) AS n FROM clicks GROUP BY page EMIT CHANGES;
sinks:
  out: {{type: file, inputs: [counts], path: "{d}/out.jsonl"}}
""")
    p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state"])
    assert p.returncode == 0, p.stderr
    return [json.loads(line) for line in read_lines(f"{d}/out.jsonl")]


def test_table_changes_are_coalesced_per_key_within_a_batch():
    # All seven records arrive in one batch: only the final count of each page is passed on.
    assert sorted(r["N"] for r in _run_counts()) == [3, 4]


def test_cache_size_zero_passes_every_update():
    out = _run_counts("    properties: {ksql.streams.cache.max.bytes.buffering: '0'}")
    assert [r["N"] for r in out] == [1, 1, 2, 3, 2, 3, 4]
