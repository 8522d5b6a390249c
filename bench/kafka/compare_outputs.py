#!/usr/bin/env python3
"""Compares the pipe output topic dump with the records of the input that pass `status >= 400`.

    compare_outputs.py INPUT_JSONL PIPE_OUTPUT_DUMP FILTERED(0|1)   -> prints "equal" or "DIFFER: ..."
Order is not compared (64 partitions); each record is compared parsed, as a multiset.
"""
import collections
import json
import sys


def key(line):
    return json.dumps(json.loads(line), sort_keys=True)


def main():
    src, out, filtered = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
    expected = collections.Counter()
    with open(src) as f:
        for line in f:
            if line.strip() and (not filtered or json.loads(line)["status"] >= 400):
                expected[key(line)] += 1
    got = collections.Counter()
    with open(out) as f:
        for line in f:
            if line.strip():
                got[key(line)] += 1
    if got == expected:
        print("equal")
    else:
        missing = sum((expected - got).values())
        extra = sum((got - expected).values())
        print(f"DIFFER: {missing} missing, {extra} unexpected")


if __name__ == "__main__":
    main()
