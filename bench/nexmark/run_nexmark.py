#!/usr/bin/env python3
"""bench nexmark-qN: Nexmark q0, q1, q2, q3, q5, q7, q8 in pipe, events per second on one core.

Each query runs as `pipe run` of generator (dataset: nexmark, in-process, unthrottled, a fixed count) -> sql
stage -> blackhole, pinned to one core; events/s = generated events / wall seconds of the process. The cost
of generating the events alone (generator -> blackhole) is logged for reading the numbers.
"""
import argparse
import os

from nexmark import QUERIES, blackhole_pipeline, source_only_pipeline, b

EVENTS = int(os.environ.get("BENCH_NEXMARK_EVENTS", "1000000"))
REPEAT = int(os.environ.get("BENCH_NEXMARK_REPEAT", "2"))
TIMEOUT_S = int(os.environ.get("BENCH_NEXMARK_TIMEOUT", "120"))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build", default="build")
    parser.add_argument("--events", type=int, default=EVENTS)
    parser.add_argument("--queries", nargs="*", default=QUERIES)
    args = parser.parse_args()

    def run(name, pipeline):  # the file is written anew for each run: its start_time follows the wall clock
        return b.run_pipe(args.build, b.write_pipeline(name, pipeline()), timeout=TIMEOUT_S)

    source = b.best_of(lambda: run("nexmark-source", lambda: source_only_pipeline(args.events)), REPEAT)
    if source.ok:
        b.log_run("nexmark generator alone (-> blackhole)", source, args.events, "events/s")
    else:
        b.log(f"  nexmark generator alone failed: {b.failure_reason(args.build, source)}")

    for query in args.queries:
        timed = b.best_of(lambda: run(f"nexmark-{query}", lambda: blackhole_pipeline(query, args.events)), REPEAT)
        if timed.returncode == -1 and "timed out" in timed.stderr:
            b.emit(f"bench nexmark-{query}: pipe timed out ({timed.stderr} on {args.events} events)")
            continue
        if not timed.ok:
            b.emit(f"bench nexmark-{query}: pipe not yet supported ({b.failure_reason(args.build, timed)})")
            continue
        b.log_run(f"{query} ({args.events} events)", timed, args.events, "events/s")
        b.emit(f"bench nexmark-{query}: pipe {args.events / timed.seconds:.0f} events/s per core")


if __name__ == "__main__":
    main()
