#!/usr/bin/env python3
"""bench sql-tumbling-duckdb: a 1-minute tumbling count and sum per page, pipe's sql stage against DuckDB.

pipe:   CREATE TABLE out AS SELECT page, ..., COUNT(*), SUM(bytes) FROM clicks
          WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY page EMIT CHANGES;   (event time = _time)
DuckDB: GROUP BY page, time_bucket(INTERVAL 1 MINUTE, epoch_ms(_time))
pipe's output is a table changelog: the last update per (page, window) is its final result, and those must
equal DuckDB's rows. rec/s = input records / wall seconds of the process, one core each.
"""
import argparse
import os

import benchlib as b

NAME = "sql-tumbling-duckdb"
QUERY = (
    "CREATE TABLE out AS SELECT page, AS_VALUE(page) AS page_name, WINDOWSTART AS window_start, "
    "COUNT(*) AS cnt, SUM(bytes) AS total_bytes "
    "FROM clicks WINDOW TUMBLING (SIZE 1 MINUTE) GROUP BY page EMIT CHANGES;"
)
DUCKDB_SQL = os.path.join(b.BENCH_DIR, "duckdb", "sql", "sql_tumbling.sql")


def final_windows(records):
    """{(page, window_start): (cnt, total_bytes)}, the last update per key winning."""
    result = {}
    for r in records:
        if not isinstance(r, dict):  # a tombstone
            continue
        page = r.get("page_name", r.get("page"))
        result[(page, r.get("window_start"))] = (r.get("cnt"), r.get("total_bytes"))
    return result


def compare(pipe_records, duck_records):
    pipe, duck = final_windows(pipe_records), final_windows(duck_records)
    if pipe == duck:
        return True
    b.log(f"  pipe: {len(pipe)} (page, window) results from {len(pipe_records)} updates; duckdb: {len(duck)}")
    for key in sorted(set(pipe) | set(duck), key=str):
        if pipe.get(key) != duck.get(key):
            b.log(f"    first difference at {key}: pipe {pipe.get(key)}, duckdb {duck.get(key)}")
            break
    return False


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

    equal = compare(b.read_jsonl(pipe_out), b.read_jsonl(duck_out))
    b.emit(f"bench {NAME}: pipe {pipe_rate:.0f} rec/s, duckdb {duck_rate:.0f} rec/s, "
           f"ratio {b.ratio(pipe_rate, duck_rate)}, results {b.equal_word(equal)}")


if __name__ == "__main__":
    main()
