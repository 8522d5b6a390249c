#!/usr/bin/env python3
"""bench file-filter-jq: the Filter + ReplaceField single-message transforms on a file source, against jq.

pipe:  file source (mode: read) -> Filter `status >= 400` -> ReplaceField include [userid, page, status]
       -> file sink (jsonl)
jq:    jq -c 'select(.status >= 400) | {userid,page,status}'
Both read the same 1,000,000-line clickstream on one core; MB/s = input bytes / wall seconds of the process.
Outputs are compared as multisets of records.
"""
import argparse
import os

import benchlib as b

NAME = "file-filter-jq"
JQ_PROGRAM = "select(.status >= 400) | {userid,page,status}"


def pipeline(output):
    return {
        "sources": {
            "clicks": {
                "type": "file",
                "path": b.CLICKSTREAM,
                "mode": "read",
                "format": "json",
                "transforms": [
                    {"type": "Filter", "condition": "status >= 400"},
                    {"type": "ReplaceField", "include": ["userid", "page", "status"]},
                ],
            }
        },
        "sinks": {"out": {"type": "file", "inputs": ["clicks"], "path": output, "format": "jsonl"}},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build", default="build")
    args = parser.parse_args()

    size_mb = os.path.getsize(b.CLICKSTREAM) / 1e6
    b.warm_page_cache(b.CLICKSTREAM)
    os.makedirs(b.OUT_DIR, exist_ok=True)
    jq_out = os.path.join(b.OUT_DIR, f"{NAME}.jq.jsonl")
    pipe_out = os.path.join(b.OUT_DIR, f"{NAME}.pipe.jsonl")

    jq = b.best_of(lambda: b.run_timed(["jq", "-c", JQ_PROGRAM, b.CLICKSTREAM], stdout_path=jq_out))
    if not jq.ok:
        b.emit(f"bench {NAME}: jq failed ({jq.stderr.strip()[:120]})")
        return
    jq_rate = size_mb / jq.seconds
    b.log_run("jq", jq, size_mb, "MB/s")

    pipeline_path = b.write_pipeline(NAME, pipeline(pipe_out))
    pipe = b.best_of(lambda: b.run_pipe(args.build, pipeline_path, [pipe_out]))
    if not os.path.exists(b.pipe_binary(args.build)) or not pipe.ok or not os.path.exists(pipe_out):
        reason = b.failure_reason(args.build, pipe) if not pipe.ok else "no output file written"
        b.emit(f"bench {NAME}: pipe not yet supported ({reason}), jq {jq_rate:.1f} MB/s")
        return
    pipe_rate = size_mb / pipe.seconds
    b.log_run("pipe", pipe, size_mb, "MB/s")

    equal = b.multiset_equal(b.read_jsonl(pipe_out), b.read_jsonl(jq_out), "pipe", "jq")
    b.emit(f"bench {NAME}: pipe {pipe_rate:.1f} MB/s, jq {jq_rate:.1f} MB/s, "
           f"ratio {b.ratio(pipe_rate, jq_rate)}, results {b.equal_word(equal)}")


if __name__ == "__main__":
    main()
