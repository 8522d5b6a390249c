#!/usr/bin/env python3
"""Writes a deterministic clickstream as JSON lines: the input of the file-filter and sql benchmarks.

Every run with the same --lines and --seed writes byte-identical output, so results can be compared across
machines and the file is generated once and reused (bench/run.sh checks the line count and size).

One line (~160 bytes):
  {"_time":1767225600000,"time":"2026-01-01T00:00:00.000Z","ip":"10.1.2.3","request":"GET /cart",
   "status":404,"userid":12,"bytes":1234,"agent":"curl/8.4.0","page":"/cart"}

_time is event time in epoch milliseconds and never decreases (about 100 events per second of event time),
so windowed results do not depend on a grace period. About 20% of the lines have status >= 400.
"""
import argparse
import datetime
import os
import random
import sys

PAGES = [f"/{section}/{i}" for section in ("product", "cart", "search", "blog", "help") for i in range(10)]
AGENTS = ["Firefox/121.0", "Safari/605.1", "Chrome/120.0", "curl/8.4.0", "python-requests/2.31"]
# (status, weight): ~20% client or server errors.
STATUSES = [(200, 62), (201, 4), (301, 6), (304, 8), (400, 3), (403, 3), (404, 9), (500, 4), (503, 1)]
METHODS = [("GET", 85), ("POST", 12), ("PUT", 3)]
START_MS = 1767225600000  # 2026-01-01T00:00:00Z


def expand(weighted):
    return [value for value, weight in weighted for _ in range(weight)]


def generate(out, lines, seed):
    rng = random.Random(seed)
    statuses, methods = expand(STATUSES), expand(METHODS)
    epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
    t = START_MS
    chunk = []
    for _ in range(lines):
        t += rng.randrange(0, 21)  # mean 10 ms between events
        ts = epoch + datetime.timedelta(milliseconds=t)
        iso = ts.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t % 1000:03d}Z"
        page = rng.choice(PAGES)
        chunk.append(
            f'{{"_time":{t},"time":"{iso}","ip":"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)}",'
            f'"request":"{rng.choice(methods)} {page}","status":{rng.choice(statuses)},'
            f'"userid":{rng.randrange(1, 10001)},"bytes":{rng.randrange(100, 100000)},'
            f'"agent":"{rng.choice(AGENTS)}","page":"{page}"}}\n'
        )
        if len(chunk) == 10000:
            out.write("".join(chunk))
            chunk.clear()
    out.write("".join(chunk))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", required=True, help="output path; '-' for stdout")
    args = parser.parse_args()
    if args.out == "-":
        generate(sys.stdout, args.lines, args.seed)
        return
    tmp = args.out + ".tmp"
    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with open(tmp, "w", encoding="ascii") as f:
        generate(f, args.lines, args.seed)
    os.replace(tmp, args.out)  # a killed run never leaves a short file behind under the final name


if __name__ == "__main__":
    main()
