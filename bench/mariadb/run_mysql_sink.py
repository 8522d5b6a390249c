#!/usr/bin/env python3
"""bench mysql-sink: pipe's mysql sink upserting rows into MariaDB against LOAD DATA LOCAL INFILE of the same rows.

One private MariaDB 10.11 (tests/support/databases.py, a larger buffer pool than the tests'); BENCH_MYSQL_ROWS
rows (default 1,000,000) of (id BIGINT PRIMARY KEY, account INT, label VARCHAR(64), amount DECIMAL(12,2),
updated_at DATETIME(3)), written once as JSON lines for pipe and as a tab-separated file for the peer.

pipe   file source (format json) -> mysql sink (mode upsert, primary_key [id], batch of 5000) into an empty
       table; the clock runs from start to exit (the file source ends, the sink's last flush commits).
peer   the mariadb client's LOAD DATA LOCAL INFILE into another empty table; the clock runs from start to exit.
Both clients are pinned to BENCH_CPU; the server is not. Results are equal when both tables have the same row
count and the same sum of CRC32 over every column of every row.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import benchlib as b  # noqa: E402

sys.path.insert(0, os.path.join(b.ROOT, "tests", "support"))
import databases  # noqa: E402

ROWS = int(os.environ.get("BENCH_MYSQL_ROWS", "1000000"))
TABLE_DDL = ("CREATE TABLE {name} (id BIGINT PRIMARY KEY, account INT NOT NULL, label VARCHAR(64), "
             "amount DECIMAL(12,2), updated_at DATETIME(3)) ENGINE=InnoDB")
TABLE_RESULT = ("SELECT CONCAT(COUNT(*), ' ', COALESCE(SUM(CRC32(CONCAT_WS('|', id, account, label, amount, "
                "updated_at))), 0)) FROM {name}")
SERVER_SETTINGS = {"innodb_buffer_pool_size": "512M", "innodb_log_file_size": "256M", "local_infile": "ON",
                   "max_allowed_packet": "64M"}


def write_inputs(rows):
    """The same rows as JSON lines (pipe) and tab-separated values (LOAD DATA)."""
    jsonl, tsv = os.path.join(b.OUT_DIR, "mysql-sink.jsonl"), os.path.join(b.OUT_DIR, "mysql-sink.tsv")
    with open(jsonl, "w") as j, open(tsv, "w") as t:
        for i in range(1, rows + 1):
            account, label, amount = i % 997, f"row {i}", f"{i * 1.25 % 100000:.2f}"
            updated = f"2026-01-{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d}:{i % 60:02d}.{i % 1000:03d}"
            j.write(f'{{"id": {i}, "account": {account}, "label": "{label}", "amount": "{amount}", '
                    f'"updated_at": "{updated}"}}\n')
            t.write(f"{i}\t{account}\t{label}\t{amount}\t{updated}\n")
    return jsonl, tsv


def fresh_table(db, name):
    db.sql(f"DROP TABLE IF EXISTS {name}; " + TABLE_DDL.format(name=name))


def pipe_upsert(db, build, jsonl):
    fresh_table(db, "bench_pipe")
    path = b.write_pipeline("mysql-sink", {
        "sources": {"rows": {"type": "file", "path": jsonl, "format": "json"}},
        "sinks": {"out": {"type": "mysql", "inputs": ["rows"], "dsn": db.url, "table": "bench_pipe",
                          "mode": "upsert", "primary_key": ["id"], "batch": {"max_records": 5000}}}})
    return b.run_pipe(build, path)


def load_data(db, tsv):
    fresh_table(db, "bench_load")
    return b.run_timed([databases.MARIADB_CLIENT, f"--defaults-extra-file={db.folder}/client.cnf",
                        "--local-infile=1", db.database, "-e",
                        f"LOAD DATA LOCAL INFILE '{tsv}' INTO TABLE bench_load (id, account, label, amount, "
                        f"updated_at)"])


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build", default="build")
    args = parser.parse_args()
    os.makedirs(b.OUT_DIR, exist_ok=True)
    name = "mysql-sink"
    jsonl, tsv = write_inputs(ROWS)
    with databases.start_mariadb(SERVER_SETTINGS) as db:
        best_pipe = best_peer = None
        pipe_results, peer_results = [], []
        for _ in range(max(1, b.REPEAT)):
            peer = load_data(db, tsv)
            if not peer.ok:
                b.emit(f"bench {name}: LOAD DATA failed ({peer.stderr.strip()[:160]})")
                return
            peer_results.append(db.value(TABLE_RESULT.format(name="bench_load")))
            b.log(f"  LOAD DATA run: {peer.seconds:.2f} s, table {peer_results[-1]}")
            best_peer = peer if best_peer is None or peer.seconds < best_peer.seconds else best_peer
            pipe = pipe_upsert(db, args.build, jsonl)
            if not pipe.ok:
                b.log(pipe.stderr[-2000:])
                b.emit(f"bench {name}: pipe not yet supported ({b.failure_reason(args.build, pipe)}), "
                       f"LOAD DATA {ROWS / best_peer.seconds:.0f} rec/s")
                return
            pipe_results.append(db.value(TABLE_RESULT.format(name="bench_pipe")))
            b.log(f"  pipe run: {pipe.seconds:.2f} s, {pipe.cpu_seconds:.2f} s cpu, table {pipe_results[-1]}")
            best_pipe = pipe if best_pipe is None or pipe.seconds < best_pipe.seconds else best_pipe
        b.log_run("LOAD DATA", best_peer, ROWS, "rec/s")
        b.log_run("pipe", best_pipe, ROWS, "rec/s")
        pipe_rate, peer_rate = ROWS / best_pipe.seconds, ROWS / best_peer.seconds
        equal = all(r == peer_results[0] for r in pipe_results + peer_results) and \
            peer_results[0].startswith(f"{ROWS} ")
        b.emit(f"bench {name}: pipe {pipe_rate:.0f} rec/s, LOAD DATA {peer_rate:.0f} rec/s, "
               f"ratio {b.ratio(pipe_rate, peer_rate)}, results {b.equal_word(equal)}")


if __name__ == "__main__":
    main()
