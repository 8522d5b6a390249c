"""The `sql` pipeline stage (src/sql/stage) through the binary: table changes reach sinks as the last update per
key of each input batch, like ksqlDB's record cache, unless ksql.streams.cache.max.bytes.buffering is 0; SQL state
survives a restart and a SIGKILL exactly (no record counted twice or missed). Changed statements:
test_sql_state_change.py."""
import glob
import json
import os
import random
import re
import signal
import urllib.request

from harness import free_port, read_lines, run_pipe, sigkill_runs, start_pipe, tmpdir, wait_until, write

PAGES = ["/a", "/b", "/a", "/a", "/b", "/b", "/a"]


def _sql_pipeline(d, sql, sink, properties=None, mode="read"):
    """Writes d/p.yaml: the file d/in.jsonl (JSON lines) as stream `clicks` -> a `sql` stage q -> `sink` (YAML)."""
    props = f"\n    properties: {json.dumps(properties)}" if properties else ""
    start = ", start_at: beginning" if mode == "follow" else ""
    indented = "\n".join("      " + line.strip() for line in sql.strip().splitlines())
    return write(f"{d}/p.yaml", f"""
sources:
  clicks: {{type: file, path: {d}/in.jsonl, mode: {mode}{start}, format: json}}
transforms:
  q:
    type: sql
    inputs: [clicks]{props}
    sql: |
{indented}
sinks:
  out: {sink}
""")


def _run_counts(properties=None):
    d = tmpdir()
    write(f"{d}/in.jsonl", "".join(json.dumps({"page": p}) + "\n" for p in PAGES))
    _sql_pipeline(d, """
      CREATE STREAM clicks (page VARCHAR) WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON');
      CREATE TABLE counts AS SELECT page, COUNT(*) AS n FROM clicks GROUP BY page EMIT CHANGES;
    """, f'{{type: file, inputs: [counts], path: "{d}/out.jsonl"}}', properties)
    p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state"])
    assert p.returncode == 0, p.stderr
    return [json.loads(line) for line in read_lines(f"{d}/out.jsonl")]


def test_table_changes_are_coalesced_per_key_within_a_batch():
    # All seven records arrive in one batch: only the final count of each page is passed on.
    assert sorted(r["N"] for r in _run_counts()) == [3, 4]


def test_cache_size_zero_passes_every_update():
    out = _run_counts({"ksql.streams.cache.max.bytes.buffering": "0"})
    assert [r["N"] for r in out] == [1, 1, 2, 3, 2, 3, 4]


COUNTS_SQL = """
      CREATE STREAM clicks (id BIGINT, page VARCHAR, n INT) WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON');
      CREATE TABLE per_page AS SELECT page, AS_VALUE(page) AS p, COUNT(*) AS c, SUM(n) AS s FROM clicks GROUP BY page;
"""



def _write_clicks(path, first, count, mode="w"):
    with open(path, mode) as fh:
        fh.writelines(json.dumps({"id": i, "page": f"/p{i % 50}", "n": i % 7}) + "\n" for i in range(first, first + count))


def _expected(count):
    want = {}
    for i in range(count):
        c, s = want.get(f"/p{i % 50}", (0, 0))
        want[f"/p{i % 50}"] = (c + 1, s + i % 7)
    return want


def _counts_pipeline(d, sql=COUNTS_SQL, interval_ms=2000):
    _sql_pipeline(d, sql, f'{{type: file, inputs: [per_page], path: "{d}/out/part-{{n}}.jsonl", format: jsonl, '
                          f'max_records: 5000, flush_interval: 50ms}}',
                  {"ksql.streams.commit.interval.ms": str(interval_ms)})


def _final_counts(d):
    """The last update per page over every run's output, in the order written (part numbers grow across runs)."""
    parts = sorted(glob.glob(f"{d}/out/part-*.jsonl"), key=lambda p: int(re.search(r"part-(\d+)", p).group(1)))
    last = {}
    for path in parts:
        for line in read_lines(path):
            try:
                r = json.loads(line)
            except ValueError:
                continue  # a line torn by SIGKILL
            last[r["P"]] = (r["C"], r["S"])
    return last


def test_sql_state_survives_a_restart():
    d = tmpdir()
    _write_clicks(f"{d}/in.jsonl", 0, 1000)
    _counts_pipeline(d)
    first = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state"])
    assert first.returncode == 0, first.stderr
    assert _final_counts(d) == _expected(1000)
    assert os.path.exists(f"{d}/state/sql/q.state")
    # The file grows; the next run reads only the new lines and counts on from the saved state.
    _write_clicks(f"{d}/in.jsonl", 1000, 500, mode="a")
    second = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state"])
    assert second.returncode == 0, second.stderr
    assert "state restored" in second.stderr, second.stderr
    assert _final_counts(d) == _expected(1500)


def test_sql_state_is_exact_across_sigkills():
    """Kill -9 at random points; after a final clean run every aggregate equals that of one uninterrupted run:
    records replayed from a source checkpoint older than the saved state are not counted twice."""
    d = tmpdir()
    n = 1_500_000  # a run gets through ~1M a second: the kills land before the end
    _write_clicks(f"{d}/in.jsonl", 0, n)
    _counts_pipeline(d, interval_ms=100)
    kills = sigkill_runs(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--no-watch"], random.Random(11),
                         delay=(0.05, 0.4), runs=10)
    final = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--no-watch"], timeout=120)
    assert final.returncode == 0, final.stderr
    assert kills >= 3, f"only {kills} kills landed mid-run"
    got, want = _final_counts(d), _expected(n)
    wrong = {page: (got.get(page), want[page]) for page in want if got.get(page) != want[page]}
    assert not wrong, f"after {kills} kills, (got, want) per page: {dict(list(wrong.items())[:5])}"
    print(f"    {kills} kills, all {len(want)} aggregates exact")


def test_reload_keeps_the_sql_state():
    """A reload that keeps the statements (here: another output file) goes on counting from the saved state."""
    d = tmpdir()
    write(f"{d}/in.jsonl", "")

    def pipeline(out):
        return _sql_pipeline(d, COUNTS_SQL, f'{{type: file, inputs: [per_page], path: "{d}/{out}", format: jsonl, '
                                            f'flush_interval: 50ms}}', mode="follow")

    path = pipeline("a.jsonl")
    proc = start_pipe(["run", path, "--state-dir", f"{d}/state"])
    try:
        _write_clicks(f"{d}/in.jsonl", 0, 100, mode="a")
        wait_until(lambda: any('"C":2' in line for line in read_lines(f"{d}/a.jsonl")), what="counts in a.jsonl")
        pipeline("b.jsonl")
        wait_until(lambda: os.path.exists(f"{d}/b.jsonl"), what="the reloaded pipeline to open b.jsonl")
        _write_clicks(f"{d}/in.jsonl", 100, 100, mode="a")
        wait_until(lambda: any('"C":4' in line for line in read_lines(f"{d}/b.jsonl")), what="counts on in b.jsonl")
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    last = {}
    for line in read_lines(f"{d}/b.jsonl"):
        r = json.loads(line)
        last[r["P"]] = (r["C"], r["S"])
    assert last == _expected(200), err


def test_late_records_and_processing_errors_are_logged_and_counted():
    d = tmpdir()
    port = free_port()
    write(f"{d}/in.jsonl", "")
    _sql_pipeline(d, """
      CREATE STREAM clicks (ts BIGINT, page VARCHAR, n VARCHAR) WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON', TIMESTAMP='ts');
      CREATE TABLE per_second AS SELECT page, COUNT(*) AS c, SUM(CAST(n AS INT)) AS s FROM clicks
        WINDOW TUMBLING (SIZE 1 SECOND, GRACE PERIOD 0 SECONDS) GROUP BY page;
    """, f'{{type: file, inputs: [per_second], path: "{d}/out.jsonl", format: jsonl}}', mode="follow")
    proc = start_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--http", f"127.0.0.1:{port}"])
    try:
        # 5000 is late (stream time is 20000 and the grace period 0); 'x' is no INT: NULL and a processing error.
        rows = [(10000, "1"), (20000, "x"), (5000, "2"), (20500, "3")]
        write(f"{d}/in.jsonl", "".join(json.dumps({"ts": ts, "page": "/a", "n": n}) + "\n" for ts, n in rows))

        def metric(name):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as r:
                    body = r.read().decode()
            except OSError:
                return None
            line = next((l for l in body.splitlines() if l.startswith(f'{name}{{component="q"}}')), None)
            return int(line.split()[-1]) if line else None

        wait_until(lambda: metric("pipe_sql_late_records_total") == 1, what="the late record counted")
        # Both are processing errors, logged as ksqlDB's processing log has them.
        wait_until(lambda: metric("pipe_sql_processing_errors_total") == 2, what="the processing errors counted")
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "transform q: PER_SECOND: Cannot cast x to INTEGER" in err, err
    assert "later than the grace period of its window" in err, err


JOIN_SQL = """
      CREATE STREAM ev (id INT, kind VARCHAR, name VARCHAR, v INT) WITH (KAFKA_TOPIC='ev', VALUE_FORMAT='JSON');
      CREATE TABLE names AS SELECT id, LATEST_BY_OFFSET(name) AS name FROM ev WHERE kind = 'person' GROUP BY id;
      CREATE STREAM named AS SELECT e.id AS id, n.name AS name, e.v AS v FROM ev e JOIN names n ON e.id = n.id
        WHERE e.kind = 'bid';
"""


def _named_bids(d, batch_size):
    indented = "\n".join("      " + line.strip() for line in JOIN_SQL.strip().splitlines())
    write(f"{d}/p{batch_size}.yaml", f"""
sources:
  ev: {{type: file, path: {d}/in.jsonl, format: json, batch_size: {batch_size}}}
transforms:
  q:
    type: sql
    inputs: [ev]
    sql: |
{indented}
sinks:
  out: {{type: file, inputs: [named], path: "{d}/out{batch_size}.jsonl"}}
""")
    p = run_pipe(["run", f"{d}/p{batch_size}.yaml", "--state-dir", f"{d}/state{batch_size}"])
    assert p.returncode == 0, p.stderr
    return [json.loads(line) for line in read_lines(f"{d}/out{batch_size}.jsonl")]


def test_stream_table_join_sees_table_rows_of_the_same_batch():
    # The record cache delays what a table passes on to sinks, not what a lookup reads (Kafka Streams' lookups read
    # the store): a bid finds the person written just before it in the same input batch, whatever the batch size.
    d = tmpdir()
    events = [{"id": i % 40, "kind": "person" if i % 3 == 0 else "bid", "name": f"p{i}", "v": i} for i in range(3000)]
    write(f"{d}/in.jsonl", "".join(json.dumps(e) + "\n" for e in events))
    latest, want = {}, []
    for e in events:
        if e["kind"] == "person":
            latest[e["id"]] = e["name"]
        elif e["id"] in latest:
            want.append((latest[e["id"]], e["v"]))
    for batch_size in (1, 1024):
        got = [(r["NAME"], r["V"]) for r in _named_bids(d, batch_size)]
        assert got == want, f"batch_size {batch_size}: {len(got)} joined of {len(want)}"
