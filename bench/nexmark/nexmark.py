"""Nexmark in pipe: the query files of this folder, the pipelines that run them, and the DuckDB batch versions.

Queries are in pipe's (ksqlDB) dialect, one file per query (qN.sql) over the person/auction/bid streams that
ddl.sql declares: the generator's split layout, each record fed to the stream its Record::topic names. The
final statement of a query file creates the stream or table the sink reads; it is named qN.
"""
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import benchlib as b  # noqa: E402

NEXMARK_DIR = os.path.dirname(os.path.abspath(__file__))
QUERIES = ["q0", "q1", "q2", "q3", "q5", "q7", "q8"]
SEED = 42
# Event time of event 0 (event n is 0.1 ms * n later): the first full minute an hour after the wall clock, written
# out so that a run can be repeated from its YAML. Ahead of the wall clock because pipe's sql stage currently
# advances stream time to the wall clock on every tick, which makes past events late (see README); an hour, so
# that a slow run never catches up with its own events.
def start_time_ms():
    return (int(time.time() * 1000) + 3_600_000) // 60_000 * 60_000


def _read(name):
    with open(os.path.join(NEXMARK_DIR, f"{name}.sql")) as f:
        return f.read()


def query_sql(*names):
    """ddl.sql (the person/auction/bid streams) and the queries (stream names are global in a pipeline, so
    queries run together share one sql stage)."""
    return "\n".join([_read("ddl")] + [_read(name) for name in names])


def output_name(name):
    """The stream or table the last CREATE ... AS of a query file creates."""
    with open(os.path.join(NEXMARK_DIR, f"{name}.sql")) as f:
        names = re.findall(r"CREATE\s+(?:STREAM|TABLE)\s+(\w+)", f.read(), re.IGNORECASE)
    return names[-1]


def generator(events):
    return {
        "type": "generator",
        "dataset": "nexmark",
        "nexmark_layout": "split",
        "count": events,
        "seed": SEED,
        "start_time": str(start_time_ms()),
    }


def sql_stage(*queries):
    """The sql stage running the queries over the generator's records, each fed to the stream of its topic."""
    return {"type": "sql", "inputs": ["nexmark"], "topics_from_records": True, "sql": query_sql(*queries)}


def blackhole_pipeline(query, events):
    """generator (nexmark, in-process) -> sql stage running `query` -> blackhole."""
    return {
        "sources": {"nexmark": generator(events)},
        "transforms": {"q": sql_stage(query)},
        "sinks": {"out": {"type": "blackhole", "inputs": [output_name(query)]}},
    }


def source_only_pipeline(events):
    """generator -> blackhole: what generating the events costs, for reading the per-query numbers."""
    return {"sources": {"nexmark": generator(events)}, "sinks": {"out": {"type": "blackhole", "inputs": ["nexmark"]}}}


def check_pipeline(queries, events, events_path, outputs):
    """generator -> file sink of the raw events (DuckDB's input), and generator -> the queries -> file sinks."""
    pipeline = {
        "sources": {"nexmark": generator(events)},
        "transforms": {"queries": sql_stage(*queries)},
        "sinks": {"events": {"type": "file", "inputs": ["nexmark"], "path": events_path, "format": "jsonl"}},
    }
    for query in queries:
        pipeline["sinks"][f"{query}_out"] = {
            "type": "file", "inputs": [output_name(query)], "path": outputs[query], "format": "jsonl"}
    return pipeline


def duckdb_sql(query):
    return os.path.join(NEXMARK_DIR, "duckdb", f"{query}.sql")


# ---- comparing a query's windows ----------------------------------------------------------------------------

def last_per_window(records, fields):
    """{window_start: (fields...)} from a changelog, the last update per window winning."""
    result = {}
    for r in records:
        if not isinstance(r, dict) or "window_start" not in r:  # a tombstone
            continue
        result[r["window_start"]] = tuple(r.get(f) for f in fields)
    return result


COMPARED_FIELDS = {"q5": ("maxn", "hot"), "q7": ("maxprice", "top")}


def compare_windows(query, pipe_records, duck_records):
    """(equal, closed, total): pipe's closed windows must equal DuckDB's for the same windows, and every window
    that ended before the last event must have closed (only the still-open tail may be missing)."""
    fields = COMPARED_FIELDS[query]
    pipe = last_per_window(pipe_records, fields)
    duck = last_per_window(duck_records, fields)
    differences = [w for w in pipe if pipe[w] != duck.get(w)]
    for w in differences[:3]:
        b.log(f"  {query} window {w}: pipe {pipe[w]}, duckdb {duck.get(w)}")
    open_tail = {"q5": 5, "q7": 1}[query]  # windows that may still be open when the input ends
    missing = sorted(w for w in duck if w not in pipe)
    unexpected_missing = missing[:-open_tail] if len(missing) > open_tail else []
    if unexpected_missing:
        b.log(f"  {query}: {len(missing)} windows never closed in pipe, e.g. {unexpected_missing[:3]}")
    equal = not differences and not unexpected_missing and len(pipe) > 0
    return equal, len(pipe), len(duck)
