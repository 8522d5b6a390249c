#!/usr/bin/env python3
"""Writes N clickstream-like JSON lines (~165 B each) to PATH and prints how many have status >= 400.

    gen_clickstream.py PATH N
"""
import json
import random
import sys

AGENTS = ["Mozilla/5.0 (X11; Linux x86_64)", "Mozilla/5.0 (Macintosh)", "curl/7.88.1", "Go-http-client/1.1"]
PAGES = ["/", "/index.html", "/site/user_status.html", "/site/login.html", "/images/logo-small.png", "/cart"]
STATUSES = [200, 200, 200, 200, 302, 404, 404, 405, 406, 500]


def main():
    path, n = sys.argv[1], int(sys.argv[2])
    rng = random.Random(42)
    failing = 0
    t0 = 1700000000000
    with open(path, "w") as f:
        for i in range(n):
            status = rng.choice(STATUSES)
            failing += status >= 400
            rec = {"_time": t0 + i * 7, "ip": f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)}",
                   "request": f"GET {rng.choice(PAGES)} HTTP/1.1", "status": status,
                   "userid": rng.randrange(1, 40), "bytes": rng.randrange(100, 20000),
                   "agent": rng.choice(AGENTS)}
            f.write(json.dumps(rec, separators=(",", ":")) + "\n")
    print(failing)


if __name__ == "__main__":
    main()
