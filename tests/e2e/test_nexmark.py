"""Nexmark q5 and q7 streamed by pipe equal DuckDB's batch answer on the same generated events.

The check itself lives with the benchmarks (bench/nexmark/check_duckdb.py, also run by `make bench`).
DuckDB comes from npm (bench/duckdb/package.json) and is installed on first use; without npm the test is skipped,
saying so.
"""
import os
import subprocess
import sys

from harness import BUILD, ROOT, Skip, tmpdir

sys.path.insert(0, os.path.join(ROOT, "bench", "nexmark"))
import check_duckdb  # noqa: E402


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
