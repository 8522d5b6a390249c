#!/usr/bin/env python3
"""bench nexmark-check-qN: pipe's streaming q5 and q7 against DuckDB's batch answer on the same events.

For each query one `pipe run` writes the generated events as JSON lines (generator -> file sink) and runs the
query on them (generator -> sql -> file sink); DuckDB then computes the query in batch from the events file.
Every window pipe closed must have DuckDB's result, and every window that ended before the last event must have
closed. Importable: tests/e2e/test_nexmark.py calls check().
"""
import argparse
import os

from nexmark import check_pipeline, compare_windows, duckdb_sql, b

# Events per query: q7's 10-s windows need 100,000 events (10 s of event time) each; q5's hopping windows
# (10 s every 2 s) close every 20,000 events.
EVENTS = {
    "q5": int(os.environ.get("BENCH_NEXMARK_CHECK_Q5_EVENTS", "300000")),
    "q7": int(os.environ.get("BENCH_NEXMARK_CHECK_Q7_EVENTS", "300000")),
}
TIMEOUT_S = int(os.environ.get("BENCH_NEXMARK_CHECK_TIMEOUT", "120"))


def check_one(build, query, events, out_dir):
    """(status, closed, total); status is "equal", "DIFFER" or why the check could not run."""
    events_path = os.path.join(out_dir, f"nexmark-check-{query}.events.jsonl")
    pipe_out = os.path.join(out_dir, f"nexmark-check-{query}.pipe.jsonl")
    duck_out = os.path.join(out_dir, f"nexmark-check-{query}.duckdb.jsonl")
    path = b.write_pipeline(f"nexmark-check-{query}", check_pipeline([query], events, events_path,
                                                                      {query: pipe_out}), out_dir)
    timed = b.run_pipe(build, path, [events_path, pipe_out], timeout=TIMEOUT_S)
    if not timed.ok:
        return f"pipe not yet supported ({b.failure_reason(build, timed)})", 0, 0
    if not b.duckdb_available():
        return "duckdb not installed", 0, 0
    duck = b.run_duckdb(duckdb_sql(query), INPUT=os.path.abspath(events_path), OUTPUT=duck_out)
    if not duck.ok:
        return f"duckdb failed ({b.failure_reason(build, duck)})", 0, 0
    if not os.path.exists(pipe_out):
        return "pipe wrote no output", 0, 0
    equal, closed, total = compare_windows(query, b.read_jsonl(pipe_out), b.read_jsonl(duck_out))
    return b.equal_word(equal), closed, total


def check(build, out_dir, events=None):
    """{query: (status, closed, total)} for q5 and q7; events overrides the per-query event counts."""
    os.makedirs(out_dir, exist_ok=True)
    return {q: check_one(build, q, (events or EVENTS)[q], out_dir) for q in EVENTS}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build", default="build")
    args = parser.parse_args()
    for query, (status, closed, total) in check(args.build, b.OUT_DIR).items():
        if status in ("equal", "DIFFER"):
            b.emit(f"bench nexmark-check-{query}: {EVENTS[query]} events, {closed} of {total} windows closed, "
                   f"results {status}")
        else:
            b.emit(f"bench nexmark-check-{query}: {status}")


if __name__ == "__main__":
    main()
