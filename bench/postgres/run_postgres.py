#!/usr/bin/env python3
"""bench postgres: pipe's postgres_cdc source, and postgres_cdc -> postgres sink, against PostgreSQL's own tools.

One private PostgreSQL 15 (tests/support/databases.py) holds a table `bench`; a publication and a template slot
(pgoutput) are created first, then BENCH_PG_CHANGES row changes (default 1,000,000) are written in transactions
of 100: 25 updates and 15 deletes of rows the previous transaction inserted (for the first, 60 seed rows written
before the slot), then 60 inserts; no row is changed twice. Every run reads a fresh copy of the template slot
(pg_copy_logical_replication_slot), so every side reads the same changes.

pg-cdc-read   pipe: postgres_cdc (envelope: row) -> blackhole; the clock stops when the blackhole has counted
              every change (pipe_blackhole_records_total in /metrics).
              pg_recvlogical: pgoutput (proto_version 1, the same publication) to /dev/null, --endpos the LSN
              after the last write; the clock stops when it exits. Both pinned to BENCH_CPU.
pg-to-pg      pipe: postgres_cdc (envelope: row) -> postgres sink (mode upsert, delete_on_tombstone) into an
              empty table of another database. Logical replication: CREATE SUBSCRIPTION (copy_data false, the
              slot copy) into another empty database. The clock stops when the last change (the insert of the
              highest id, in the last transaction) is visible in the target; both apply in commit order, so
              everything before it is too. Neither side is pinned: the subscription's walsender and apply worker
              are server processes, so pipe (and its walsender and sink backend) gets the same two cores.
Results: pg-cdc-read is equal when pipe delivered exactly the number of changes written (pg_recvlogical writes
pgoutput's binary messages, which cannot be counted reliably; it is checked to have reached --endpos).
pg-to-pg is equal when the target table has the source table's row count and md5 over its ordered rows.
"""
import argparse
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import benchlib as b  # noqa: E402

sys.path.insert(0, os.path.join(b.ROOT, "tests", "support"))
import databases  # noqa: E402
from harness import free_port  # noqa: E402

CHANGES = int(os.environ.get("BENCH_PG_CHANGES", "1000000"))
INSERTS, UPDATES, DELETES = 60, 25, 15  # per transaction of 100 changes
PER_TRANSACTION = INSERTS + UPDATES + DELETES
PUBLICATION = "bench_pub"
TEMPLATE_SLOT = "bench_template"
POLL_S = 0.02
STALL_S = 10
TABLE_DDL = ("CREATE TABLE bench (id bigint PRIMARY KEY, account int NOT NULL, label text, amount numeric(12,2), "
             "updated_at timestamptz)")
TABLE_RESULT = "SELECT count(*) || ' ' || coalesce(md5(string_agg(b::text, ',' ORDER BY id)), '') FROM bench b"
# More than the test servers' defaults: the changes make ~1 GB of WAL, and shared_buffers of 32 MB would make
# both sides read the table's pages from the OS.
SERVER_SETTINGS = {"shared_buffers": "256MB", "max_wal_size": "4GB", "max_replication_slots": "20",
                   "max_wal_senders": "20", "max_logical_replication_workers": "8"}


class Session:
    """One psql kept open (a psql per poll would cost more CPU than what is measured); one value per query."""

    def __init__(self, pg, database):
        env = dict(os.environ, PGPASSWORD=pg.password)
        self.proc = subprocess.Popen([f"{databases.PG_BIN}/psql", "-X", "-q", "-A", "-t", "-h", "127.0.0.1", "-p",
                                      str(pg.port), "-U", pg.user, "-d", database],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env, bufsize=1)

    def value(self, sql):
        self.proc.stdin.write(sql.rstrip(";") + ";\n")
        self.proc.stdin.flush()
        return self.proc.stdout.readline().strip()

    def close(self):
        self.proc.stdin.close()
        self.proc.wait()


def seed_rows(first, last):
    """Rows that exist before the slot: the first transaction's updates and deletes need rows too."""
    return (f"INSERT INTO bench SELECT g, g % 997, 'seed ' || g, g * 1.25, timestamptz '2026-01-01 00:00:00+00' "
            f"FROM generate_series({first}, {last}) g")


def change_script(transactions):
    """Transaction j updates 25 and deletes 15 of the rows transaction j-1 inserted (the first one: the seed
    rows), then inserts ids 60j+1..60j+60. No row is changed twice, so every statement changes exactly the rows
    it names, and the last change of all is the insert of the highest id."""
    lines = []
    for j in range(transactions):
        first, previous = INSERTS * j + 1, INSERTS * (j - 1) + 1
        update = (f"UPDATE bench SET amount = amount + 1, label = 'updated ' || id, updated_at = now() "
                  f"WHERE id BETWEEN {previous} AND {previous + UPDATES - 1};")
        delete = f"DELETE FROM bench WHERE id BETWEEN {previous + INSERTS - DELETES} AND {previous + INSERTS - 1};"
        insert = (f"INSERT INTO bench SELECT g, g % 997, 'row ' || g, g * 1.25, now() "
                  f"FROM generate_series({first}, {first + INSERTS - 1}) g;")
        lines.append("BEGIN;" + update + delete + insert + "COMMIT;")
    return "\n".join(lines) + "\n"


SEED = seed_rows(1 - INSERTS, 0)


def psql_file(pg, path, database="pipe"):
    env = dict(os.environ, PGPASSWORD=pg.password)
    subprocess.run([f"{databases.PG_BIN}/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p",
                    str(pg.port), "-U", pg.user, "-d", database, "-f", path], check=True, env=env,
                   stdout=subprocess.DEVNULL)


def prepare(pg, transactions):
    """The table with its seed rows, its publication and the template slot, then the changes; returns (end LSN,
    highest id). Every target database starts with the same seed rows, as if a snapshot had copied them."""
    pg.sql(f"{TABLE_DDL}; {SEED}; CREATE PUBLICATION {PUBLICATION} FOR TABLE bench;")
    pg.sql(f"SELECT pg_create_logical_replication_slot('{TEMPLATE_SLOT}', 'pgoutput')")
    path = os.path.join(b.OUT_DIR, "postgres-changes.sql")
    with open(path, "w") as f:
        f.write(change_script(transactions))
    started = time.perf_counter()
    psql_file(pg, path)
    end_lsn = pg.value("SELECT pg_current_wal_lsn()")
    wal = pg.value(f"SELECT pg_size_pretty(pg_wal_lsn_diff('{end_lsn}', confirmed_flush_lsn)) "
                   f"FROM pg_replication_slots WHERE slot_name = '{TEMPLATE_SLOT}'")
    b.log(f"postgres: {transactions * PER_TRANSACTION} changes in {transactions} transactions written in "
          f"{time.perf_counter() - started:.1f} s, {wal} of WAL, end LSN {end_lsn}")
    return end_lsn, INSERTS * transactions


def copy_slot(pg, name):
    pg.sql(f"SELECT pg_copy_logical_replication_slot('{TEMPLATE_SLOT}', '{name}')")


def drop_slot(pg, name):
    """Drops a slot once its walsender is gone (it may take a moment after the reader stopped)."""
    for _ in range(100):
        active = pg.value(f"SELECT active FROM pg_replication_slots WHERE slot_name = '{name}'")
        if active is None:
            return
        if active == "f":
            pg.sql(f"SELECT pg_drop_replication_slot('{name}')")
            return
        time.sleep(0.1)
    raise RuntimeError(f"slot {name} still active")


def fresh_target(pg, database):
    pg.sql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)", "postgres")
    pg.sql(f"CREATE DATABASE {database}", "postgres")
    pg.sql(f"{TABLE_DDL}; {SEED}", database)


def cdc_source(pg, slot):
    return {"type": "postgres_cdc", "dsn": pg.url, "slot": slot, "publication": PUBLICATION,
            "tables": ["public.bench"], "envelope": "row", "snapshot": "never"}


# ---- pg-cdc-read ----------------------------------------------------------------------------------------------

def pipe_read(pg, build, changes):
    slot = "pipe_read"
    copy_slot(pg, slot)
    port = free_port()
    path = b.write_pipeline("pg-cdc-read", {"sources": {"db": cdc_source(pg, slot)},
                                            "sinks": {"out": {"type": "blackhole", "inputs": ["db"]}}})
    seen, last_change = [0], [time.perf_counter()]

    def all_read():
        count = b.blackhole_count(port)
        if count != seen[-1]:
            seen.append(count)
            last_change[0] = time.perf_counter()
        # Stuck short of the total (a lost change): stop waiting; the count then says DIFFER.
        return count >= changes or (count and time.perf_counter() - last_change[0] > STALL_S)

    timed = b.run_pipe_until(build, path, all_read, pin=True, http_port=port)
    drop_slot(pg, slot)
    return timed, seen[-1]


def recvlogical_read(pg, end_lsn):
    slot = "recv_read"
    copy_slot(pg, slot)
    argv = [f"{databases.PG_BIN}/pg_recvlogical", "-d",
            f"host=127.0.0.1 port={pg.port} user={pg.user} password={pg.password} dbname=pipe",
            "--slot", slot, "--start", "--endpos", end_lsn, "--no-loop",
            "-o", "proto_version=1", "-o", f"publication_names={PUBLICATION}", "-f", "/dev/null"]
    timed = b.run_timed(argv)
    drop_slot(pg, slot)
    return timed


def bench_read(pg, build, end_lsn, changes):
    name = "pg-cdc-read"
    best_pipe = best_peer = None
    counts = []
    for _ in range(max(1, b.REPEAT)):
        peer = recvlogical_read(pg, end_lsn)
        if not peer.ok:
            b.emit(f"bench {name}: pg_recvlogical failed ({peer.stderr.strip()[:160]})")
            return
        b.log(f"  pg_recvlogical run: {peer.seconds:.2f} s, {peer.cpu_seconds:.2f} s cpu")
        best_peer = peer if best_peer is None or peer.seconds < best_peer.seconds else best_peer
        pipe, count = pipe_read(pg, build, changes)
        counts.append(count)
        b.log(f"  pipe run: {pipe.seconds:.2f} s, {pipe.cpu_seconds:.2f} s cpu, {count} records counted, "
              f"exit {pipe.returncode}")
        if not pipe.ok:
            b.log(pipe.stderr[-2000:])
            b.emit(f"bench {name}: pipe not yet supported ({b.failure_reason(build, pipe)}), "
                   f"pg_recvlogical {changes / best_peer.seconds:.0f} rec/s")
            return
        best_pipe = pipe if best_pipe is None or pipe.seconds < best_pipe.seconds else best_pipe
    b.log_run("pg_recvlogical", best_peer, changes, "rec/s")
    b.log_run("pipe", best_pipe, changes, "rec/s")
    pipe_rate, peer_rate = changes / best_pipe.seconds, changes / best_peer.seconds
    equal = all(count == changes for count in counts)
    b.log(f"  written {changes} changes; pipe's blackhole counted {counts}")
    b.emit(f"bench {name}: pipe {pipe_rate:.0f} rec/s, pg_recvlogical {peer_rate:.0f} rec/s, "
           f"ratio {b.ratio(pipe_rate, peer_rate)}, results {b.equal_word(equal)}")


# ---- pg-to-pg ---------------------------------------------------------------------------------------------------

def wait_for_row(pg, database, last_id):
    session = Session(pg, database)
    return session, lambda: session.value(f"SELECT count(*) FROM bench WHERE id = {last_id}") == "1"


def pipe_copy(pg, build, last_id):
    slot, target = "pipe_copy", "pipe_target"
    fresh_target(pg, target)
    copy_slot(pg, slot)
    sink = {"type": "postgres", "inputs": ["db"], "dsn": pg.url_for(target), "table": "bench", "mode": "upsert",
            "delete_on_tombstone": True, "batch": {"max_records": 5000, "max_age": "100ms"}}
    path = b.write_pipeline("pg-to-pg", {"sources": {"db": cdc_source(pg, slot)}, "sinks": {"out": sink}})
    session, arrived = wait_for_row(pg, target, last_id)
    timed = b.run_pipe_until(build, path, arrived, pin=False)
    session.close()
    drop_slot(pg, slot)
    return timed, pg.value(TABLE_RESULT, target)


def subscription_copy(pg, last_id):
    """CREATE SUBSCRIPTION into an empty database on the same server (hence a slot made beforehand: a subscription
    cannot create its slot in its own cluster); the clock runs from CREATE SUBSCRIPTION to the last row."""
    slot, target = "lr_copy", "lr_target"
    fresh_target(pg, target)
    copy_slot(pg, slot)
    session, arrived = wait_for_row(pg, target, last_id)
    connection = f"host=127.0.0.1 port={pg.port} user={pg.user} password={pg.password} dbname=pipe"
    started = time.perf_counter()
    session.value(f"CREATE SUBSCRIPTION bench_sub CONNECTION '{connection}' PUBLICATION {PUBLICATION} "
                  f"WITH (create_slot = false, slot_name = '{slot}', copy_data = false); SELECT 1")
    seconds = None
    while time.perf_counter() - started < b.PIPE_TIMEOUT_S:
        if arrived():
            seconds = time.perf_counter() - started
            break
        time.sleep(POLL_S)
    session.close()
    pg.sql("ALTER SUBSCRIPTION bench_sub DISABLE; ALTER SUBSCRIPTION bench_sub SET (slot_name = NONE); "
           "DROP SUBSCRIPTION bench_sub;", target)
    drop_slot(pg, slot)
    if seconds is None:
        return b.Timed(b.PIPE_TIMEOUT_S, -1, "", "timed out"), None
    return b.Timed(seconds, 0, "", ""), pg.value(TABLE_RESULT, target)


def bench_copy(pg, build, changes, last_id):
    name = "pg-to-pg"
    expected = pg.value(TABLE_RESULT)
    best_pipe = best_peer = None
    results = []
    for _ in range(max(1, b.REPEAT)):
        peer, peer_result = subscription_copy(pg, last_id)
        b.log(f"  logical replication run: {peer.seconds:.2f} s, target {peer_result}")
        if not peer.ok or peer_result != expected:
            b.emit(f"bench {name}: logical replication failed ({peer.stderr or peer_result}, source {expected})")
            return
        best_peer = peer if best_peer is None or peer.seconds < best_peer.seconds else best_peer
        pipe, pipe_result = pipe_copy(pg, build, last_id)
        results.append(pipe_result)
        b.log(f"  pipe run: {pipe.seconds:.2f} s, {pipe.cpu_seconds:.2f} s cpu, target {pipe_result}, "
              f"exit {pipe.returncode}")
        if not pipe.ok:
            b.log(pipe.stderr[-2000:])
            b.emit(f"bench {name}: pipe not yet supported ({b.failure_reason(build, pipe)}), "
                   f"logical replication {changes / best_peer.seconds:.0f} rec/s")
            return
        best_pipe = pipe if best_pipe is None or pipe.seconds < best_pipe.seconds else best_pipe
    b.log_run("pipe", best_pipe, changes, "rec/s")
    pipe_rate, peer_rate = changes / best_pipe.seconds, changes / best_peer.seconds
    b.log(f"  source table {expected}; pipe's targets {results}")
    b.emit(f"bench {name}: pipe {pipe_rate:.0f} rec/s, logical replication {peer_rate:.0f} rec/s, "
           f"ratio {b.ratio(pipe_rate, peer_rate)}, results {b.equal_word(all(r == expected for r in results))}")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build", default="build")
    parser.add_argument("--only", choices=["pg-cdc-read", "pg-to-pg"], help="run one of the two")
    args = parser.parse_args()
    os.makedirs(b.OUT_DIR, exist_ok=True)
    transactions = max(1, CHANGES // PER_TRANSACTION)
    changes = transactions * PER_TRANSACTION
    with databases.start_postgres(SERVER_SETTINGS) as pg:
        end_lsn, last_id = prepare(pg, transactions)
        if args.only in (None, "pg-cdc-read"):
            bench_read(pg, args.build, end_lsn, changes)
        if args.only in (None, "pg-to-pg"):
            bench_copy(pg, args.build, changes, last_id)


if __name__ == "__main__":
    main()
