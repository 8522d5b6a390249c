#!/usr/bin/env python3
"""bench sql-filter-duckdb: a stateless SQL filter, file -> file, pipe's sql stage against DuckDB.

pipe:   CREATE STREAM out AS SELECT userid, page, status FROM clicks WHERE status >= 400;
DuckDB: COPY (SELECT userid, page, status FROM read_json_auto(...) WHERE status >= 400) TO ... (FORMAT json)
One core each (taskset; DuckDB threads=1); rec/s = input records / wall seconds of the process.
"""
import argparse
import os

import benchlib as b

NAME = "sql-filter-duckdb"
QUERY = "CREATE STREAM out AS SELECT userid, page, status FROM clicks WHERE status >= 400 EMIT CHANGES;"
DUCKDB_SQL = os.path.join(b.BENCH_DIR, "duckdb", "sql", "sql_filter.sql")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build", default="build")
    args = parser.parse_args()

    b.warm_page_cache(b.CLICKSTREAM)
    duck_out = os.path.join(b.OUT_DIR, f"{NAME}.duckdb.jsonl")
    pipe_out = os.path.join(b.OUT_DIR, f"{NAME}.pipe.jsonl")
    os.makedirs(b.OUT_DIR, exist_ok=True)

    if not b.duckdb_available():
        b.emit(f"bench {NAME}: duckdb not installed (npm install in bench/duckdb failed)")
        return
    duck = b.best_of(lambda: b.run_duckdb(DUCKDB_SQL, INPUT=b.CLICKSTREAM, OUTPUT=duck_out))
    if not duck.ok:
        b.emit(f"bench {NAME}: duckdb failed ({b.failure_reason(args.build, duck)})")
        return
    duck_rate = b.CLICKSTREAM_LINES / duck.seconds
    b.log_run("duckdb", duck, b.CLICKSTREAM_LINES, "rec/s")

    pipeline_path = b.write_pipeline(NAME, b.clicks_sql_pipeline(QUERY, pipe_out))
    pipe = b.best_of(lambda: b.run_pipe(args.build, pipeline_path, [pipe_out]))
    if not pipe.ok or not os.path.exists(pipe_out):
        reason = b.failure_reason(args.build, pipe) if not pipe.ok else "no output file written"
        b.emit(f"bench {NAME}: pipe not yet supported ({reason}), duckdb {duck_rate:.0f} rec/s")
        return
    pipe_rate = b.CLICKSTREAM_LINES / pipe.seconds
    b.log_run("pipe", pipe, b.CLICKSTREAM_LINES, "rec/s")

    equal = b.multiset_equal(b.read_jsonl(pipe_out), b.read_jsonl(duck_out), "pipe", "duckdb")
    b.emit(f"bench {NAME}: pipe {pipe_rate:.0f} rec/s, duckdb {duck_rate:.0f} rec/s, "
           f"ratio {b.ratio(pipe_rate, duck_rate)}, results {b.equal_word(equal)}")


if __name__ == "__main__":
    main()
