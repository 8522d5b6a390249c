"""The postgres_cdc source against a real PostgreSQL 15 (tests/support/databases.py): changes of two tables in
commit order with their keys, values and positions in both envelopes; a restart that resumes with nothing missing
or repeated; a SIGKILL loop that loses nothing acknowledged; a slot that advances while its tables are idle; and
issue 17's check of item 3: the replication connection survives a sink blocked for 4x wal_sender_timeout."""
import glob
import json
import os
import random
import re
import signal
import subprocess
import threading
import time
import urllib.request

import databases
from harness import free_port, read_lines, run_pipe, sigkill_runs, start_pipe, tmpdir, wait_until, write


def _drop(pg, slot, tables=()):
    """Removes what a test created; the slot only once no walsender holds it."""
    wait_until(lambda: pg.value(f"SELECT count(*) FROM pg_replication_slots WHERE slot_name = '{slot}' AND active")
               == "0", timeout=30, what=f"slot {slot} released")
    pg.sql(f"SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '{slot}';"
           f"DROP PUBLICATION IF EXISTS {slot};" + "".join(f"DROP TABLE IF EXISTS {t};" for t in tables))


def _source(name, pg, slot, tables, envelope="debezium", extra=""):
    return f"""
  {name}:
    type: postgres_cdc
    dsn: {pg.url}
    slot: {slot}
    tables: [{", ".join(tables)}]
    envelope: {envelope}
    topic_prefix: shop{extra}"""


def _slot_active(pg, slot):
    return pg.value(f"SELECT count(*) FROM pg_replication_slots WHERE slot_name = '{slot}' AND active") == "1"


def _lines(pattern):
    """JSON lines of every file matching `pattern`; a line cut by a SIGKILL is not a record."""
    out = []
    for path in sorted(glob.glob(pattern)):
        for line in read_lines(path):
            try:
                out.append(json.loads(line))
            except ValueError:
                pass
    return out


def _run(d, yaml_text, **kwargs):
    write(f"{d}/p.yaml", yaml_text)
    return start_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--no-watch"], **kwargs)


def _stop(proc):
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, f"pipe exited {proc.returncode}:\n{err}"
    return err


CHANGES = """
INSERT INTO cdc_customers VALUES (1, 'Ada', 10.50, '2024-01-01 10:00:00.123456+02'), (2, 'Grace', 20, NULL);
BEGIN;
INSERT INTO cdc_orders VALUES (100, 1, 9.99, false, '{"gift": true}', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
                               '2024-02-29', 123456789012345678901234567890.1234567);
UPDATE cdc_customers SET balance = 0.49 WHERE id = 1;
COMMIT;
UPDATE cdc_orders SET paid = true WHERE id = 100;
DELETE FROM cdc_customers WHERE id = 2;
UPDATE cdc_customers SET id = 3 WHERE id = 1;
"""


def test_changes_of_two_tables_arrive_in_commit_order_with_keys_and_values():
    pg = databases.postgres()
    tables = ["cdc_customers", "cdc_orders"]
    pg.sql("CREATE TABLE cdc_customers (id int PRIMARY KEY, name text, balance numeric(12,2), seen timestamptz);"
           "CREATE TABLE cdc_orders (id bigint PRIMARY KEY, customer int, total double precision, paid bool,"
           " note jsonb, ref uuid, day date, exact numeric);")
    d = tmpdir()
    # Every record is rejected into a dead-letter file, which shows what the file sink does not: key, topic and
    # position.
    sink = ("\n  {0}:\n    type: file\n    inputs: [{0}]\n    path: {1}/{0}.jsonl\n    reject_when: '$topic != null'"
            "\n    on_error: dead_letter\n    dead_letter_path: {1}/{0}-letters.jsonl")
    proc = _run(d, "sources:" + _source("dbz", pg, "cdc_order_dbz", tables) +
                _source("rows", pg, "cdc_order_rows", tables, envelope="row") +
                "\nsinks:" + sink.format("dbz", d) + sink.format("rows", d) + "\n")
    try:
        wait_until(lambda: _slot_active(pg, "cdc_order_dbz") and _slot_active(pg, "cdc_order_rows"), timeout=30,
                   what="both slots streaming")
        pg.sql(CHANGES)
        wait_until(lambda: len(read_lines(f"{d}/dbz-letters.jsonl")) >= 8 and
                   len(read_lines(f"{d}/rows-letters.jsonl")) >= 8, timeout=30, what="8 changes in each envelope")
        _stop(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        _drop(pg, "cdc_order_dbz")
        _drop(pg, "cdc_order_rows", tables)

    dbz = [json.loads(l)["record"] for l in read_lines(f"{d}/dbz-letters.jsonl")]
    seen = [(r["topic"], r["value"]["op"], r["key"]) for r in dbz]
    assert seen == [
        ("shop.public.cdc_customers", "c", {"id": 1}), ("shop.public.cdc_customers", "c", {"id": 2}),
        ("shop.public.cdc_orders", "c", {"id": 100}), ("shop.public.cdc_customers", "u", {"id": 1}),
        ("shop.public.cdc_orders", "u", {"id": 100}), ("shop.public.cdc_customers", "d", {"id": 2}),
        ("shop.public.cdc_customers", "d", {"id": 1}), ("shop.public.cdc_customers", "c", {"id": 3}),
    ], seen
    ada = dbz[0]["value"]["after"]
    assert ada == {"id": 1, "name": "Ada", "balance": 10.50, "seen": "2024-01-01T08:00:00.123456Z"}, ada
    order = dbz[2]["value"]["after"]
    assert order["total"] == 9.99 and order["paid"] is False and order["note"] == '{"gift": true}', order
    assert order["ref"] == "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11" and order["day"] == 19782, order
    # 37 digits, beyond a double: the JSON number keeps every one of them.
    assert '"exact":123456789012345678901234567890.1234567' in read_lines(f"{d}/dbz-letters.jsonl")[2]
    assert dbz[5]["value"]["before"] == {"id": 2} and dbz[5]["value"]["after"] is None, dbz[5]
    source = dbz[3]["value"]["source"]
    assert source["table"] == "cdc_customers" and source["schema"] == "public" and source["db"] == "pipe", source
    # The insert of order 100 and the update of customer 1 share a transaction: one commit LSN, indexes 0 and 1
    # (Position::ToString leaves out a minor of 0).
    lane, _, at = dbz[2]["position"].partition("@")
    assert lane == "postgres cdc_order_dbz" and at.isdigit(), dbz[2]["position"]
    assert dbz[3]["position"] == f"{lane}@{at}.1", (dbz[2]["position"], dbz[3]["position"])
    assert source["lsn"] == int(at), (source, at)
    positions = [r["position"] for r in dbz]
    assert len(set(positions)) == len(positions), positions

    rows = [json.loads(l)["record"] for l in read_lines(f"{d}/rows-letters.jsonl")]
    assert [r["key"] for r in rows] == [r["key"] for r in dbz]
    assert rows[0]["value"] == ada and rows[2]["value"] == order
    assert rows[3]["value"]["balance"] == 0.49, rows[3]
    assert rows[5]["value"] is None and rows[6]["value"] is None, rows[5:7]  # deletes are tombstones
    print(f"    8 changes in commit order in both envelopes; positions {positions[2]}, {positions[3]}")


def _ids(pattern):
    return [r["after"]["id"] for r in _lines(pattern) if r.get("after")]


def test_restart_resumes_with_nothing_missing_or_repeated():
    pg = databases.postgres()
    pg.sql("CREATE TABLE cdc_restart (id int PRIMARY KEY, note text);")
    d = tmpdir()
    text = ("sources:" + _source("db", pg, "cdc_restart_slot", ["cdc_restart"]) +
            f"\nsinks:\n  out: {{type: file, inputs: [db], path: '{d}/out/part-{{n}}.jsonl'}}\n")
    try:
        for run in range(3):
            proc = _run(d, text, stdout=subprocess.DEVNULL)
            try:
                wait_until(lambda: _slot_active(pg, "cdc_restart_slot"), timeout=30, what="the slot streaming")
                first = run * 100 + 1
                pg.sql(f"INSERT INTO cdc_restart SELECT g, 'n' FROM generate_series({first}, {first + 49}) g;"
                       f"INSERT INTO cdc_restart SELECT g, 'n' FROM generate_series({first + 50}, {first + 99}) g;")
                wait_until(lambda: len(_ids(f"{d}/out/*.jsonl")) >= first + 99, timeout=30,
                           what=f"ids up to {first + 99}")
                _stop(proc)
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
            # Written while pipe is down: the next run must read them from the slot.
            pg.sql(f"INSERT INTO cdc_restart SELECT g, 'down' FROM generate_series({first + 1000}, {first + 1009}) g;")
        proc = _run(d, text, stdout=subprocess.DEVNULL)
        try:
            wait_until(lambda: len(_ids(f"{d}/out/*.jsonl")) >= 330, timeout=30, what="330 ids")
            time.sleep(1)
            _stop(proc)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    finally:
        _drop(pg, "cdc_restart_slot", ["cdc_restart"])
    ids = _ids(f"{d}/out/*.jsonl")
    expected = [i for run in range(3) for i in range(run * 100 + 1, run * 100 + 101)]
    expected += [i for run in range(3) for i in range(run * 100 + 1001, run * 100 + 1011)]
    assert sorted(ids) == sorted(expected), (len(ids), len(expected), sorted(set(ids) ^ set(expected))[:10])
    print(f"    3 restarts: {len(ids)} changes, none missing, none repeated")


def test_sigkill_loop_loses_nothing_acknowledged():
    pg = databases.postgres()
    pg.sql("CREATE TABLE cdc_kills (id int PRIMARY KEY);")
    d = tmpdir()
    write(f"{d}/p.yaml", "sources:" + _source("db", pg, "cdc_kills_slot", ["cdc_kills"]) +
          f"\nsinks:\n  out: {{type: file, inputs: [db], path: '{d}/out/part-{{n}}.jsonl', max_records: 2000}}\n")
    args = ["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--no-watch"]
    inserted = [0]
    stop = threading.Event()

    def insert():
        while not stop.is_set():
            n = inserted[0]
            pg.sql(f"INSERT INTO cdc_kills SELECT g FROM generate_series({n + 1}, {n + 200}) g;")
            inserted[0] = n + 200
            time.sleep(0.05)

    writer = threading.Thread(target=insert)
    try:
        # The first run creates the slot; changes before it would not be captured.
        proc = _run(d, open(f"{d}/p.yaml").read(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(lambda: _slot_active(pg, "cdc_kills_slot"), timeout=30, what="the slot streaming")
        proc.kill()
        proc.wait()
        writer.start()
        kills = sigkill_runs(args, random.Random(20), delay=(0.3, 1.5), runs=12)
        stop.set()
        writer.join()
        total = inserted[0]
        proc = start_pipe(args, stdout=subprocess.DEVNULL)
        try:
            wait_until(lambda: len(set(_ids(f"{d}/out/*.jsonl"))) >= total, timeout=60, what=f"{total} ids")
            _stop(proc)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    finally:
        stop.set()
        if writer.is_alive():
            writer.join()
        _drop(pg, "cdc_kills_slot", ["cdc_kills"])
    ids = _ids(f"{d}/out/*.jsonl")
    missing = set(range(1, total + 1)) - set(ids)
    assert kills >= 10, f"only {kills} kills landed mid-run"
    assert not missing, f"{len(missing)} of {total} changes missing after {kills} kills, e.g. {sorted(missing)[:5]}"
    print(f"    {kills} kills while inserting: {total} changes, {len(ids) - total} duplicates (at-least-once), "
          f"0 missing")


def test_initial_snapshot_then_streaming_with_no_gap_and_no_overlap():
    pg = databases.postgres()
    pg.sql("CREATE TABLE cdc_snap (id int PRIMARY KEY, v int);"
           "INSERT INTO cdc_snap SELECT g, 0 FROM generate_series(1, 5000) g;")
    d = tmpdir()
    text = ("sources:" + _source("db", pg, "cdc_snap_slot", ["cdc_snap"], extra="\n    snapshot: initial\n"
                                 "    batch_size: 500") +
            f"\nsinks:\n  out: {{type: file, inputs: [db], path: '{d}/out/part-{{n}}.jsonl'}}\n")
    stop = threading.Event()
    writes = [0]

    def write_during():  # changes while the snapshot is read and after: each must show up once, after it
        while not stop.is_set():
            n = writes[0]
            pg.sql(f"UPDATE cdc_snap SET v = v + 1 WHERE id % 50 = {n % 50};"
                   f"INSERT INTO cdc_snap VALUES ({6000 + n}, 1);"
                   f"DELETE FROM cdc_snap WHERE id = {n * 7 % 5000 + 1};")
            writes[0] = n + 1

    writer = threading.Thread(target=write_during)
    try:
        proc = _run(d, text, stdout=subprocess.DEVNULL)
        writer.start()
        try:
            wait_until(lambda: sum(1 for r in _lines(f"{d}/out/*.jsonl") if r["op"] == "r") > 0, timeout=30,
                       what="snapshot rows")
            time.sleep(2)
            stop.set()
            writer.join()
            final = {int(i): int(v) for i, v in pg.sql("SELECT id, v FROM cdc_snap")}

            def replayed():
                state = {}
                for r in _lines(f"{d}/out/*.jsonl"):
                    if r["op"] == "d":
                        state.pop(r["before"]["id"], None)
                    else:
                        state[r["after"]["id"]] = r["after"]["v"]
                return state

            wait_until(lambda: replayed() == final, timeout=30, what="the output replayed to equal the table")
            _stop(proc)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        snapshot_rows = [r["after"]["id"] for r in _lines(f"{d}/out/*.jsonl") if r["op"] == "r"]
        assert len(snapshot_rows) == len(set(snapshot_rows)), "a row read twice by the snapshot"
        assert all(r["source"]["snapshot"] == "true" for r in _lines(f"{d}/out/*.jsonl") if r["op"] == "r")
        # A second run resumes from the checkpoint: no new snapshot, nothing repeated.
        before = len(_lines(f"{d}/out/*.jsonl"))
        proc = _run(d, text, stdout=subprocess.DEVNULL)
        time.sleep(3)
        _stop(proc)
        assert len(_lines(f"{d}/out/*.jsonl")) == before
    finally:
        stop.set()
        if writer.is_alive():
            writer.join()
        _drop(pg, "cdc_snap_slot", ["cdc_snap"])
    print(f"    snapshot of {len(snapshot_rows)} rows with {writes[0]} transactions written meanwhile: the output "
          f"replays to the table; a restart takes no new snapshot")


def test_a_slot_gone_since_the_checkpoint_is_an_error_or_with_when_needed_a_new_snapshot():
    """The slot the checkpoint resumes from is dropped while pipe is stopped: the changes since are lost, so the
    next run fails saying so (a new slot would silently start after them), and with snapshot: when_needed it takes a
    new snapshot of the table as it is now, then streams on."""
    pg = databases.postgres()
    pg.sql("CREATE TABLE cdc_gone (id int PRIMARY KEY, v int); INSERT INTO cdc_gone VALUES (1, 1), (2, 2);")
    d = tmpdir()

    def pipeline(mode):
        return ("sources:" + _source("db", pg, "cdc_gone_slot", ["cdc_gone"], extra=f"\n    snapshot: {mode}") +
                f"\nsinks:\n  out: {{type: file, inputs: [db], path: '{d}/out/part-{{n}}.jsonl'}}\n")

    try:
        proc = _run(d, pipeline("initial"), stdout=subprocess.DEVNULL)
        try:
            wait_until(lambda: len(_lines(f"{d}/out/*.jsonl")) >= 2, timeout=30, what="the first snapshot")
            pg.sql("INSERT INTO cdc_gone VALUES (3, 3);")
            wait_until(lambda: len(_lines(f"{d}/out/*.jsonl")) >= 3, timeout=30, what="the insert")
            _stop(proc)
        finally:
            _finish(proc)
        _drop(pg, "cdc_gone_slot")
        pg.sql("INSERT INTO cdc_gone VALUES (4, 4); UPDATE cdc_gone SET v = 20 WHERE id = 2;")  # lost with the slot
        write(f"{d}/p.yaml", pipeline("initial"))
        refused = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--no-watch"], timeout=60)
        assert refused.returncode != 0, refused
        assert "replication slot 'cdc_gone_slot' is gone (dropped)" in refused.stderr, refused.stderr
        assert "the changes since are lost" in refused.stderr and "snapshot: when_needed" in refused.stderr
        before = len(_lines(f"{d}/out/*.jsonl"))
        proc = _run(d, pipeline("when_needed"))
        try:
            wait_until(lambda: len(_lines(f"{d}/out/*.jsonl")) >= before + 4, timeout=30, what="a new snapshot")
            pg.sql("INSERT INTO cdc_gone VALUES (5, 5);")
            wait_until(lambda: len(_lines(f"{d}/out/*.jsonl")) >= before + 5, timeout=30, what="streaming after it")
            err = _stop(proc)
        finally:
            _finish(proc)
    finally:
        _drop(pg, "cdc_gone_slot", ["cdc_gone"])
    assert "taking a new snapshot (snapshot: when_needed)" in err, err
    again = _lines(f"{d}/out/*.jsonl")[before:]
    assert sorted((r["op"], r["after"]["id"], r["after"]["v"]) for r in again[:4]) == \
        [("r", 1, 1), ("r", 2, 20), ("r", 3, 3), ("r", 4, 4)], again
    assert (again[4]["op"], again[4]["after"]["id"]) == ("c", 5), again[4]


def _finish(proc):
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def test_a_wrong_password_fails_at_once_without_showing_it():
    pg = databases.postgres()
    d = tmpdir()
    secret = "not-the-password-4711"
    url = pg.url.replace(f":{pg.password}@", f":{secret}@")
    write(f"{d}/p.yaml", f"""
sources:
  db: {{type: postgres_cdc, dsn: "{url}", slot: cdc_wrong_password, tables: [cdc_nothing]}}
sinks:
  out: {{type: stdout, inputs: [db]}}
""")
    p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--no-watch"], timeout=60)
    assert p.returncode != 0, p.stderr
    assert "password authentication failed" in p.stderr and f"{pg.user}@127.0.0.1:{pg.port}/" in p.stderr, p.stderr
    assert secret not in p.stderr + p.stdout, p.stderr
    print("    " + p.stderr.strip().splitlines()[-1][:150])


def _confirmed(pg, slot):
    return pg.value(f"SELECT confirmed_flush_lsn - '0/0' FROM pg_replication_slots WHERE slot_name = '{slot}'")


def test_slot_advances_while_the_captured_tables_are_idle():
    pg = databases.postgres()
    pg.sql("CREATE TABLE cdc_idle (id int PRIMARY KEY); CREATE TABLE cdc_busy (id int, pad text);")
    d = tmpdir()
    proc = _run(d, "sources:" + _source("db", pg, "cdc_idle_slot", ["cdc_idle"], extra="\n    heartbeat_interval: 1s")
                + f"\nsinks:\n  out: {{type: file, inputs: [db], path: {d}/out.jsonl}}\n", stdout=subprocess.DEVNULL)
    try:
        wait_until(lambda: _slot_active(pg, "cdc_idle_slot"), timeout=30, what="the slot streaming")
        before = int(_confirmed(pg, "cdc_idle_slot"))
        # Only a table the slot does not capture is written: several MB of WAL.
        for _ in range(4):
            pg.sql("INSERT INTO cdc_busy SELECT g, repeat('x', 500) FROM generate_series(1, 5000) g;")
        written_to = int(pg.value("SELECT pg_current_wal_lsn() - '0/0'"))
        wait_until(lambda: int(_confirmed(pg, "cdc_idle_slot")) >= written_to, timeout=30,
                   what="confirmed_flush_lsn past the idle WAL")
        after = int(_confirmed(pg, "cdc_idle_slot"))
        _stop(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        _drop(pg, "cdc_idle_slot", ["cdc_idle", "cdc_busy"])
    assert read_lines(f"{d}/out.jsonl") == []
    print(f"    confirmed_flush_lsn moved {after - before} bytes while only an uncaptured table was written")


def _cdc_metrics(port):
    """pipe_cdc_* gauges from /metrics: {name: value}."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
        text = r.read().decode()
    return {m[0]: float(m[1]) for m in re.findall(r"^(pipe_cdc_\w+){[^}]*} (\S+)", text, re.M)}


def test_replication_connection_survives_a_sink_blocked_for_4x_wal_sender_timeout():
    """Issue 17, item 3: wal_sender_timeout 5 s; nobody reads pipe's stdout for 20 s."""
    with databases.start_postgres({"wal_sender_timeout": "5s"}) as pg:
        pg.sql("CREATE TABLE cdc_blocked (id int PRIMARY KEY, pad text);")
        d = tmpdir()
        write(f"{d}/p.yaml", "sources:" + _source("db", pg, "cdc_blocked_slot", ["cdc_blocked"]) +
              "\nsinks:\n  out: {type: stdout, inputs: [db], format: json}\nsettings:\n  queue_capacity: 1\n")
        port = free_port()
        proc = start_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--no-watch", "--http",
                           f"127.0.0.1:{port}"], stderr=open(f"{d}/stderr.log", "w"))
        drained = []
        reader = threading.Thread(target=lambda: drained.extend(json.loads(l) for l in proc.stdout))
        try:
            wait_until(lambda: _slot_active(pg, "cdc_blocked_slot"), timeout=30, what="the slot streaming")
            pid_before = pg.value("SELECT active_pid FROM pg_replication_slots WHERE slot_name = 'cdc_blocked_slot'")
            # Far more than the pipe buffer and one queued batch: the sink blocks in write(), the source behind it.
            pg.sql("INSERT INTO cdc_blocked SELECT g, repeat('p', 200) FROM generate_series(1, 20000) g;")
            blocked_since = time.time()
            for second in range(20):
                if second % 5 == 2:  # changes while blocked, too
                    first = 20001 + second * 100
                    pg.sql(f"INSERT INTO cdc_blocked SELECT g, 'during' FROM generate_series({first}, {first + 99}) g;")
                time.sleep(1)
            pid_during = pg.value("SELECT active_pid FROM pg_replication_slots WHERE slot_name = 'cdc_blocked_slot'")
            lag = pg.value("SELECT pg_current_wal_lsn() - confirmed_flush_lsn FROM pg_replication_slots "
                           "WHERE slot_name = 'cdc_blocked_slot'")
            blocked_for = time.time() - blocked_since
            metrics = _cdc_metrics(port)
        finally:
            reader.start()  # reading stdout unblocks the sink
        try:
            wait_until(lambda: len(drained) >= 20400, timeout=60, what="every change on stdout")
            pid_after = pg.value("SELECT active_pid FROM pg_replication_slots WHERE slot_name = 'cdc_blocked_slot'")
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
            reader.join(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        log = open(f"{d}/stderr.log").read()
        ids = [r["after"]["id"] for r in drained]
        assert int(lag) > 0, "the sink never blocked: the slot was not behind"
        # The source was held inside the big transaction (lag in seconds grows), so only Service() kept the
        # connection alive.
        assert metrics["pipe_cdc_slot_lag_bytes"] > 0 and metrics["pipe_cdc_lag_seconds"] >= 10, metrics
        assert pid_before == pid_during == pid_after, (pid_before, pid_during, pid_after, log)
        assert log.count("streaming changes from slot") == 1, log
        assert "disconnected" not in log and "retrying" not in log, log
        assert sorted(set(ids)) == list(range(1, 20001)) + [i for s in (2, 7, 12, 17)
                                                           for i in range(20001 + s * 100, 20101 + s * 100)]
        print(f"    blocked {blocked_for:.0f} s (4x wal_sender_timeout 5 s) with the slot {int(lag)} bytes behind: "
              f"walsender pid {pid_before} kept, {len(ids)} changes delivered; {metrics}")
