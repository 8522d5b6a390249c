"""Nexmark q5 and q7 streamed by pipe equal DuckDB's batch answer on the same generated events; q7's join on a
nearly unique price keeps memory flat however many events go through.

The check itself lives with the benchmarks (bench/nexmark/check_duckdb.py, also run by `make bench`).
DuckDB comes from npm (bench/duckdb/package.json) and is installed on first use; without npm the test is skipped,
saying so.
"""
import os
import subprocess
import sys

import yaml

from harness import BUILD, ROOT, Skip, tmpdir

sys.path.insert(0, os.path.join(ROOT, "bench", "nexmark"))
import check_duckdb  # noqa: E402
import nexmark  # noqa: E402


def _ensure_duckdb():
    if check_duckdb.b.duckdb_available():
        return
    try:
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent"],
                       cwd=os.path.join(ROOT, "bench", "duckdb"), check=True, timeout=180, capture_output=True)
    except (OSError, subprocess.SubprocessError) as e:
        raise Skip(f"DuckDB (@duckdb/node-api) could not be installed with npm: {e}")


def test_nexmark_q5_q7_match_duckdb():
    _ensure_duckdb()
    results = check_duckdb.check(BUILD, tmpdir("pipe-nexmark-"))
    problems = [f"{q}: {status} ({closed} of {total} windows closed)"
                for q, (status, closed, total) in results.items() if status != "equal"]
    assert not problems, "; ".join(problems)


# q7 as the nexmark suite writes it joins each bid to its window's highest price: a stream-stream join on a key that
# nearly never comes back. Here each bid meets, within 10 s, the bids of the same price and auction.
Q7_JOIN_SQL = """
CREATE STREAM bid_keyed AS SELECT auction, price, price * 1000000000 + auction AS pk FROM bid EMIT CHANGES;
CREATE STREAM bid_again AS SELECT auction AS other_auction, price * 1000000000 + auction AS other_pk FROM bid
  EMIT CHANGES;
CREATE STREAM q7_join AS SELECT b.pk, b.price, p.other_auction FROM bid_keyed b
  JOIN bid_again p WITHIN 10 SECONDS GRACE PERIOD 1 SECOND ON b.pk = p.other_pk EMIT CHANGES;
"""


def _q7_join_peak_rss_kb(events, d):
    """Peak resident memory (KB) of `pipe run`: nexmark generator -> q7's join -> blackhole."""
    pipeline = {
        "sources": {"nexmark": nexmark.generator(events)},
        "transforms": {"q": {"type": "sql", "inputs": ["nexmark"], "topics_from_records": True,
                             "sql": nexmark.query_sql() + Q7_JOIN_SQL}},
        "sinks": {"out": {"type": "blackhole", "inputs": ["q7_join"]}},
    }
    path = os.path.join(d, f"q7-join-{events}.yaml")
    with open(path, "w") as f:
        yaml.safe_dump(pipeline, f, sort_keys=False, width=120)
    state_dir = os.path.join(d, f"state-{events}")
    with open(path + ".log", "w+") as log:  # a file, not a pipe: a full pipe would block the run
        proc = subprocess.Popen([check_duckdb.b.pipe_binary(BUILD), "run", "--state-dir", state_dir, path],
                                stdout=subprocess.DEVNULL, stderr=log)
        _, status, usage = os.wait4(proc.pid, 0)  # wait4: the rusage of this child alone
        log.seek(0)
        assert os.waitstatus_to_exitcode(status) == 0, log.read()
    return usage.ru_maxrss


def test_nexmark_q7_join_memory_stays_flat():
    d = tmpdir("pipe-nexmark-q7-join-")
    small, large = _q7_join_peak_rss_kb(300_000, d), _q7_join_peak_rss_kb(1_200_000, d)
    print(f"    q7 join peak resident memory: {small // 1024} MB at 300,000 events, {large // 1024} MB at 1,200,000")
    assert large <= small * 1.1, f"peak RSS grew from {small} KB to {large} KB"
