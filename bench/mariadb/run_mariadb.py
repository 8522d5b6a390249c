#!/usr/bin/env python3
"""bench mariadb: pipe's mysql_cdc source against mariadb-binlog reading the same binlog from the server.

One private MariaDB 10.11 (tests/support/databases.py: log_bin, binlog_format=ROW, binlog_row_image=FULL,
binlog_row_metadata=FULL) holds a table `bench` with 60 seed rows. Then BENCH_MARIADB_CHANGES row changes (default
1,000,000) are written in transactions of 100: 25 updates and 15 deletes of rows the previous transaction inserted
(for the first, the seed rows), then 60 inserts; no row is changed twice, so the change count is exact.

Where both sides start: the binlog position after the seed rows (SHOW MASTER STATUS). pipe is told it by a state
dir: before the changes, pipe runs once with `snapshot: never` and an empty state dir, which saves the server's
end of binlog as its checkpoint; every measured run starts from a copy of that state dir, so it resumes there.

mariadb-cdc-read  pipe: mysql_cdc (envelope: row, snapshot: never) -> blackhole; the clock stops when the
                  blackhole has counted every change (pipe_blackhole_records_total in /metrics).
                  mariadb-binlog --read-from-remote-server --verbose --start-position <that position>
                  --to-last-log, to /dev/null; the clock stops when it exits (at the end of the binlog).
                  Both pinned to BENCH_CPU.
Results equal: pipe's blackhole counted exactly the number of changes written, and so did mariadb-binlog's
`### INSERT/UPDATE/DELETE` lines over the same range (counted in one more, untimed run).

mysql-sink (pipe upserting into MariaDB against LOAD DATA LOCAL INFILE) is not here: main has no `mysql` sink yet.
"""
import argparse
import glob
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
import benchlib as b  # noqa: E402

sys.path.insert(0, os.path.join(b.ROOT, "tests", "support"))
import databases  # noqa: E402
from harness import free_port  # noqa: E402

CHANGES = int(os.environ.get("BENCH_MARIADB_CHANGES", "1000000"))
INSERTS, UPDATES, DELETES = 60, 25, 15  # per transaction of 100 changes, as bench/postgres
PER_TRANSACTION = INSERTS + UPDATES + DELETES
STALL_S = 10
MARIADB_BINLOG = "/usr/bin/mariadb-binlog"
TABLE_DDL = ("CREATE TABLE bench (id BIGINT PRIMARY KEY, account INT NOT NULL, label VARCHAR(64), "
             "amount DECIMAL(12,2), updated_at TIMESTAMP(6) NULL) ENGINE=InnoDB")
# More than the test servers' 64 MB pool and 16 MB redo log, so that writing the changes is not the slow part
# (the redo log size is fixed when the data folder is made, which start_mariadb does with these settings).
SERVER_SETTINGS = {"innodb_buffer_pool_size": "256M", "innodb_log_file_size": "256M"}


def block(k):
    """The ids of block k (60 of them): transaction k changes rows of block k and inserts block k+1; block 0 is
    the seed rows."""
    first = INSERTS * k + 1
    return first, first + INSERTS - 1


def insert(k, label):
    """The inserts of block k."""
    first, last = block(k)
    return (f"INSERT INTO bench SELECT seq, seq % 997, CONCAT('{label} ', seq), seq * 1.25, NOW(6) "
            f"FROM seq_{first}_to_{last};")


def change_script(transactions):
    """25 updates and 15 deletes of the previous block's rows, then 60 inserts of a new block, per transaction;
    every statement changes exactly the rows it names."""
    lines = []
    for k in range(transactions):
        first, last = block(k)
        update = (f"UPDATE bench SET amount = amount + 1, label = CONCAT('updated ', id), updated_at = NOW(6) "
                  f"WHERE id BETWEEN {first} AND {first + UPDATES - 1};")
        delete = f"DELETE FROM bench WHERE id BETWEEN {last - DELETES + 1} AND {last};"
        lines.append("BEGIN;" + update + delete + insert(k + 1, "row") + "COMMIT;")
    return "\n".join(lines) + "\n"


def client_file(db, path):
    """Runs a SQL file through the mariadb client (db.sql has a 2-minute limit; a million changes take longer)."""
    with open(path) as f:
        subprocess.run([databases.MARIADB_CLIENT, f"--defaults-extra-file={db.folder}/client.cnf", db.database],
                       stdin=f, check=True, stdout=subprocess.DEVNULL)


def binlog_end(db):
    file, position = db.sql("SHOW MASTER STATUS")[0][:2]
    return file, int(position)


def cdc_pipeline(db):
    source = {"type": "mysql_cdc", "dsn": db.url, "tables": [f"{db.database}.bench"], "envelope": "row",
              "snapshot": "never"}
    return {"sources": {"db": source}, "sinks": {"out": {"type": "blackhole", "inputs": ["db"]}}}


def checkpoint_of(state_dir):
    saved = [path for path in glob.glob(os.path.join(state_dir, "**", "*"), recursive=True) if os.path.isfile(path)]
    for path in saved:
        with open(path, errors="replace") as f:
            text = f.read().strip()
        if text.startswith("binlog."):
            return text
    return None


def start_state(db, build):
    """Runs pipe once before the changes: mysql_cdc with `snapshot: never` and no checkpoint saves the server's
    end of binlog at once. Returns the state dir (the template of every measured run) and the checkpoint text."""
    path = b.write_pipeline("mariadb-cdc-start", cdc_pipeline(db))
    state_dir = os.path.splitext(path)[0] + ".state"
    found = [None]

    def saved():
        found[0] = checkpoint_of(state_dir)
        return found[0] is not None

    timed = b.run_pipe_until(build, path, saved, pin=False)
    found[0] = checkpoint_of(state_dir)  # what a clean stop left, which the measured runs resume from
    if found[0] is None:
        b.log(timed.stderr[-2000:])
        raise RuntimeError(f"pipe saved no checkpoint ({b.failure_reason(build, timed)})")
    return state_dir, found[0]


def prepare(db, build, transactions):
    """The table and its seed rows, pipe's start state, then the changes; returns (start file, start position,
    the start state dir)."""
    db.sql(f"{TABLE_DDL}; {insert(0, 'seed')}")
    start_file, start_position = binlog_end(db)
    state_dir, checkpoint = start_state(db, build)
    if checkpoint != f"{start_file}:{start_position}:0":
        raise RuntimeError(f"pipe's checkpoint {checkpoint} is not the binlog end {start_file}:{start_position}")
    path = os.path.join(b.OUT_DIR, "mariadb-changes.sql")
    with open(path, "w") as f:
        f.write(change_script(transactions))
    started = time.perf_counter()
    client_file(db, path)
    end_file, end_position = binlog_end(db)
    b.log(f"mariadb: {transactions * PER_TRANSACTION} changes in {transactions} transactions written in "
          f"{time.perf_counter() - started:.1f} s, binlog {start_file}:{start_position} to {end_file}:{end_position}")
    return start_file, start_position, state_dir


# ---- mariadb-cdc-read ---------------------------------------------------------------------------------------

def pipe_read(db, build, changes, state_template):
    port = free_port()
    path = b.write_pipeline("mariadb-cdc-read", cdc_pipeline(db))
    seen, last_change = [0], [time.perf_counter()]

    def all_read():
        count = b.blackhole_count(port)
        if count != seen[-1]:
            seen.append(count)
            last_change[0] = time.perf_counter()
        # Stuck short of the total (a lost change): stop waiting; the count then says DIFFER.
        return count >= changes or (count and time.perf_counter() - last_change[0] > STALL_S)

    timed = b.run_pipe_until(build, path, all_read, pin=True, http_port=port, state_template=state_template)
    return timed, seen[-1]


def binlog_argv(db, start_file, start_position):
    return [MARIADB_BINLOG, f"--defaults-extra-file={db.folder}/client.cnf", "--read-from-remote-server",
            "--verbose", f"--start-position={start_position}", "--to-last-log", start_file]


def binlog_rows(db, start_file, start_position):
    """mariadb-binlog's row changes over the range: --verbose prints one `### INSERT/UPDATE/DELETE` per row."""
    decoded = subprocess.Popen(binlog_argv(db, start_file, start_position), stdout=subprocess.PIPE)
    counted = subprocess.run(["grep", "-c", "-E", "^### (INSERT|UPDATE|DELETE) "], stdin=decoded.stdout,
                             capture_output=True, text=True)
    decoded.stdout.close()
    if decoded.wait() != 0:
        return None
    return int(counted.stdout.strip() or 0)


def bench_read(db, build, changes, start_file, start_position, state_template):
    name = "mariadb-cdc-read"
    best_pipe = best_peer = None
    counts = []
    for _ in range(max(1, b.REPEAT)):
        peer = b.run_timed(binlog_argv(db, start_file, start_position), stdout_path="/dev/null")
        if not peer.ok:
            b.emit(f"bench {name}: mariadb-binlog failed ({peer.stderr.strip()[:160]})")
            return
        b.log(f"  mariadb-binlog run: {peer.seconds:.2f} s, {peer.cpu_seconds:.2f} s cpu")
        best_peer = peer if best_peer is None or peer.seconds < best_peer.seconds else best_peer
        pipe, count = pipe_read(db, build, changes, state_template)
        counts.append(count)
        b.log(f"  pipe run: {pipe.seconds:.2f} s, {pipe.cpu_seconds:.2f} s cpu, {count} records counted, "
              f"exit {pipe.returncode}")
        if not pipe.ok:
            b.log(pipe.stderr[-2000:])
            b.emit(f"bench {name}: pipe not yet supported ({b.failure_reason(build, pipe)}), "
                   f"mariadb-binlog {changes / best_peer.seconds:.0f} rec/s")
            return
        best_pipe = pipe if best_pipe is None or pipe.seconds < best_pipe.seconds else best_pipe
    peer_rows = binlog_rows(db, start_file, start_position)
    b.log_run("mariadb-binlog", best_peer, changes, "rec/s")
    b.log_run("pipe", best_pipe, changes, "rec/s")
    pipe_rate, peer_rate = changes / best_pipe.seconds, changes / best_peer.seconds
    equal = peer_rows == changes and all(count == changes for count in counts)
    b.log(f"  written {changes} changes; pipe's blackhole counted {counts}; mariadb-binlog printed {peer_rows} "
          f"row changes")
    b.emit(f"bench {name}: pipe {pipe_rate:.0f} rec/s, mariadb-binlog {peer_rate:.0f} rec/s, "
           f"ratio {b.ratio(pipe_rate, peer_rate)}, results {b.equal_word(equal)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", default="build")
    args = parser.parse_args()
    os.makedirs(b.OUT_DIR, exist_ok=True)
    transactions = max(1, CHANGES // PER_TRANSACTION)
    changes = transactions * PER_TRANSACTION
    with databases.start_mariadb(SERVER_SETTINGS) as db:
        start_file, start_position, state_template = prepare(db, args.build, transactions)
        bench_read(db, args.build, changes, start_file, start_position, state_template)


if __name__ == "__main__":
    main()
