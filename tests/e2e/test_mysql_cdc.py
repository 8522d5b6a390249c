"""The mysql_cdc source against a real MariaDB 10.11 (tests/support/databases.py): inserts, updates and deletes of
two tables in binlog order with their keys, values, types and positions in both envelopes; restarts (SIGTERM, with
writes while pipe is down and transactions cut by small batches) that resume with nothing missing or repeated;
ALTER TABLE ADD COLUMN taking effect from the next change; and the one-line error of a server without the binlog
settings."""
import glob
import json
import os
import signal
import subprocess
import threading
import time

import databases
from harness import read_lines, run_pipe, start_pipe, tmpdir, wait_until, write


def _source(name, db, tables, envelope="debezium", extra=""):
    return f"""
  {name}:
    type: mysql_cdc
    dsn: {db.url}
    tables: [{", ".join(tables)}]
    envelope: {envelope}
    heartbeat_interval: 1s
    topic_prefix: shop{extra}"""


def _lines(pattern):
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


def _streaming(d, *names):
    """The source saves its start position before it reads: changes from then on are captured."""
    wait_until(lambda: all(os.path.exists(f"{d}/state/checkpoints/{n}.json") for n in names), timeout=30,
               what="the sources reading the binlog")


def _finish(proc):
    if proc.poll() is None:
        proc.kill()
        proc.wait()


CHANGES = """
INSERT INTO mcdc_customers VALUES (1, 'Ada', 10.50, '2024-01-01 10:00:00.123456'), (2, 'Grace', 20, NULL);
BEGIN;
INSERT INTO mcdc_orders VALUES (100, 1, 9.99, b'1', '{"gift": true}', 0x00ff, '2024-02-29', 18446744073709551615,
                                123456789012345678901234567890.1234567, 'red,blue', 'big', '-838:59:59.5', 2024,
                                '0000-00-00');
UPDATE mcdc_customers SET balance = 0.49 WHERE id = 1;
COMMIT;
UPDATE mcdc_orders SET paid = b'0' WHERE id = 100;
DELETE FROM mcdc_customers WHERE id = 2;
UPDATE mcdc_customers SET id = 3 WHERE id = 1;
"""


def test_changes_of_two_tables_arrive_in_binlog_order_with_keys_values_and_types():
    db = databases.mariadb()
    db.sql("SET GLOBAL sql_mode = ''")  # lets the zero date in
    db.sql("DROP TABLE IF EXISTS mcdc_customers, mcdc_orders;"
           "CREATE TABLE mcdc_customers (id INT PRIMARY KEY, name VARCHAR(40), balance DECIMAL(12,2),"
           " seen DATETIME(6));"
           "CREATE TABLE mcdc_orders (id BIGINT PRIMARY KEY, customer INT, total DOUBLE, paid BIT(1), note JSON,"
           " raw VARBINARY(8), day DATE, big BIGINT UNSIGNED, exact DECIMAL(65,7), colours SET('red','green','blue'),"
           " size ENUM('small','big'), waited TIME(1), yr YEAR, nothing DATE);")
    d = tmpdir()
    sink = ("\n  {0}:\n    type: file\n    inputs: [{0}]\n    path: {1}/{0}.jsonl\n    reject_when: '$topic != null'"
            "\n    on_error: dead_letter\n    dead_letter_path: {1}/{0}-letters.jsonl")
    tables = ["pipe.mcdc_customers", "mcdc_orders"]
    proc = _run(d, "sources:" + _source("dbz", db, tables) + _source("rows", db, tables, envelope="row") +
                "\nsinks:" + sink.format("dbz", d) + sink.format("rows", d) + "\n")
    try:
        _streaming(d, "dbz", "rows")
        db.sql(CHANGES)
        wait_until(lambda: len(read_lines(f"{d}/dbz-letters.jsonl")) >= 8 and
                   len(read_lines(f"{d}/rows-letters.jsonl")) >= 8, timeout=30, what="8 changes in each envelope")
        err = _stop(proc)
    finally:
        _finish(proc)
        db.sql("DROP TABLE IF EXISTS mcdc_customers, mcdc_orders; SET GLOBAL sql_mode = DEFAULT")

    dbz = [json.loads(l)["record"] for l in read_lines(f"{d}/dbz-letters.jsonl")]
    seen = [(r["topic"], r["value"]["op"], r["key"]) for r in dbz]
    assert seen == [
        ("shop.pipe.mcdc_customers", "c", {"id": 1}), ("shop.pipe.mcdc_customers", "c", {"id": 2}),
        ("shop.pipe.mcdc_orders", "c", {"id": 100}), ("shop.pipe.mcdc_customers", "u", {"id": 1}),
        ("shop.pipe.mcdc_orders", "u", {"id": 100}), ("shop.pipe.mcdc_customers", "d", {"id": 2}),
        ("shop.pipe.mcdc_customers", "d", {"id": 1}), ("shop.pipe.mcdc_customers", "c", {"id": 3}),
    ], seen
    ada = dbz[0]["value"]["after"]
    assert ada == {"id": 1, "name": "Ada", "balance": 10.50, "seen": "2024-01-01T10:00:00.123456"}, ada
    order = dbz[2]["value"]["after"]
    assert order["total"] == 9.99 and order["paid"] is True and order["note"] == '{"gift": true}', order
    assert order["day"] == 19782 and order["colours"] == "red,blue" and order["size"] == "big", order
    assert order["waited"] == "-838:59:59.500000" and order["yr"] == 2024 and order["nothing"] is None, order
    line = read_lines(f"{d}/dbz-letters.jsonl")[2]
    assert '"big":18446744073709551615' in line, line  # above 2^63, exact
    # DECIMAL(65,7): wider than the core's 38-digit decimal, so its exact text.
    assert order["exact"] == "123456789012345678901234567890.1234567" and order["raw"] == "AP8=", order
    assert dbz[4]["value"]["before"]["paid"] is True and dbz[4]["value"]["after"]["paid"] is False, dbz[4]
    assert dbz[5]["value"]["before"]["name"] == "Grace" and dbz[5]["value"]["after"] is None, dbz[5]
    assert err.count("pipe.mcdc_orders.nothing holds a zero date") == 2, err  # once per source
    source = dbz[3]["value"]["source"]
    assert source["table"] == "mcdc_customers" and source["db"] == "pipe" and source["connector"] == "mysql", source
    assert source["server_id"] == 1 and source["file"].startswith("binlog.") and source["gtid"].startswith("0-1-")
    # The insert of order 100 and the update of customer 1 share a transaction: one major, indexes 0 and 1
    # (Position::ToString leaves out a minor of 0); the major packs the file number and the transaction's offset.
    lane, _, at = dbz[2]["position"].partition("@")
    assert lane.startswith("mysql ") and at.isdigit(), dbz[2]["position"]
    assert dbz[3]["position"] == f"{lane}@{at}.1", (dbz[2]["position"], dbz[3]["position"])
    assert int(at) & 0xffffffff == source["pos"] and int(at) >> 32 == int(source["file"].split(".")[1]), (at, source)
    positions = [r["position"] for r in dbz]
    assert len(set(positions)) == len(positions), positions
    assert dbz[0]["timestamp"] == source["ts_ms"] or abs(dbz[0]["timestamp"] - source["ts_ms"]) < 5000

    rows = [json.loads(l)["record"] for l in read_lines(f"{d}/rows-letters.jsonl")]
    assert [r["key"] for r in rows] == [r["key"] for r in dbz]
    assert rows[0]["value"] == ada and rows[2]["value"] == order
    assert rows[3]["value"]["balance"] == 0.49, rows[3]
    assert rows[5]["value"] is None and rows[6]["value"] is None, rows[5:7]  # deletes are tombstones
    print(f"    8 changes in binlog order in both envelopes; positions {positions[2]}, {positions[3]}")


def _ids(pattern):
    return [r["after"]["id"] for r in _lines(pattern) if r.get("after")]


def test_restart_resumes_with_nothing_missing_or_repeated():
    db = databases.mariadb()
    db.sql("DROP TABLE IF EXISTS mcdc_restart; CREATE TABLE mcdc_restart (id INT PRIMARY KEY, note TEXT);"
           "DROP TABLE IF EXISTS mcdc_other; CREATE TABLE mcdc_other (id INT PRIMARY KEY);")
    d = tmpdir()
    # Batches of 7 cut the 50-row transactions: progress inside a transaction, and a restart that skips its
    # records already delivered.
    text = ("sources:" + _source("db", db, ["mcdc_restart"]) + "\n    batch_size: 7" +
            f"\nsinks:\n  out: {{type: file, inputs: [db], path: '{d}/out/part-{{n}}.jsonl'}}\n")

    def insert(first, count, note):
        values = ", ".join(f"({i}, '{note}')" for i in range(first, first + count))
        db.sql(f"INSERT INTO mcdc_restart VALUES {values}")

    try:
        for run in range(3):
            proc = _run(d, text, stdout=subprocess.DEVNULL)
            try:
                _streaming(d, "db")
                first = run * 100 + 1
                insert(first, 50, "n")
                db.sql(f"INSERT INTO mcdc_other VALUES ({run})")  # not captured: progress alone
                insert(first + 50, 50, "n")
                wait_until(lambda: len(_ids(f"{d}/out/*.jsonl")) >= first + 99, timeout=30,
                           what=f"ids up to {first + 99}")
                _stop(proc)
            finally:
                _finish(proc)
            # Written while pipe is down: the next run must read them from the binlog.
            insert(first + 1000, 10, "down")
        proc = _run(d, text, stdout=subprocess.DEVNULL)
        try:
            wait_until(lambda: len(_ids(f"{d}/out/*.jsonl")) >= 330, timeout=30, what="330 ids")
            _stop(proc)
        finally:
            _finish(proc)
    finally:
        db.sql("DROP TABLE IF EXISTS mcdc_restart, mcdc_other")
    ids = _ids(f"{d}/out/*.jsonl")
    expected = [i for run in range(3) for i in range(run * 100 + 1, run * 100 + 101)]
    expected += [i for run in range(3) for i in range(run * 100 + 1001, run * 100 + 1011)]
    assert sorted(ids) == sorted(expected), (len(ids), len(expected), sorted(set(ids) ^ set(expected))[:10])
    print(f"    3 restarts: {len(ids)} changes, none missing, none repeated")


def test_alter_table_add_column_and_a_binlog_rotation_show_up_in_the_next_change():
    db = databases.mariadb()
    db.sql("DROP TABLE IF EXISTS mcdc_alter; CREATE TABLE mcdc_alter (id INT PRIMARY KEY, name VARCHAR(20));")
    d = tmpdir()
    proc = _run(d, "sources:" + _source("db", db, ["mcdc_alter"], envelope="row") +
                f"\nsinks:\n  out: {{type: file, inputs: [db], path: '{d}/out.jsonl'}}\n", stdout=subprocess.DEVNULL)
    try:
        _streaming(d, "db")
        db.sql("INSERT INTO mcdc_alter VALUES (1, 'before');"
               "ALTER TABLE mcdc_alter ADD COLUMN tier VARCHAR(10) DEFAULT 'gold', DROP COLUMN name;"
               "FLUSH BINARY LOGS;"  # and a rotation to the next binlog file on the way
               "INSERT INTO mcdc_alter VALUES (2, 'silver');"
               "UPDATE mcdc_alter SET tier = 'platinum' WHERE id = 1;")
        wait_until(lambda: len(read_lines(f"{d}/out.jsonl")) >= 3, timeout=30, what="3 changes")
        _stop(proc)
    finally:
        _finish(proc)
        db.sql("DROP TABLE IF EXISTS mcdc_alter")
    rows = [json.loads(l) for l in read_lines(f"{d}/out.jsonl")]
    assert rows == [{"id": 1, "name": "before"}, {"id": 2, "tier": "silver"}, {"id": 1, "tier": "platinum"}], rows


def test_a_server_without_the_binlog_settings_is_one_line_naming_each():
    server = databases.start_mariadb({"binlog_row_metadata": "MINIMAL", "binlog_format": "MIXED"})
    try:
        d = tmpdir()
        write(f"{d}/p.yaml", "sources:" + _source("db", server, ["t"]) +
              "\nsinks:\n  out: {type: blackhole, inputs: [db]}\n")
        p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--no-watch"], timeout=60)
    finally:
        server.stop()
    assert p.returncode != 0, p.stderr
    lines = [l for l in p.stderr.splitlines() if "binlog_format" in l]
    assert len(lines) == 1, p.stderr
    assert "binlog_format is 'MIXED', set binlog_format=ROW" in lines[0], lines[0]
    assert "binlog_row_metadata is 'MINIMAL', set binlog_row_metadata=FULL" in lines[0], lines[0]
    assert "binlog_row_image" not in lines[0] and server.password not in p.stderr, p.stderr
    print(f"    {lines[0].strip()[:160]}")


def test_snapshot_taken_while_writes_continue_loses_and_repeats_nothing():
    db = databases.mariadb()
    db.sql("DROP TABLE IF EXISTS mcdc_snap; CREATE TABLE mcdc_snap (id INT PRIMARY KEY, v INT);"
           "INSERT INTO mcdc_snap SELECT seq, 0 FROM seq_1_to_3000;")
    d = tmpdir()
    text = ("sources:" + _source("db", db, ["mcdc_snap"]) + "\n    snapshot: initial\n    batch_size: 50" +
            f"\nsinks:\n  out: {{type: file, inputs: [db], path: '{d}/out.jsonl'}}\n")
    stop = threading.Event()
    writes = [0]

    def write_meanwhile():
        while not stop.is_set():
            n = writes[0]
            db.sql(f"INSERT INTO mcdc_snap VALUES ({5000 + n}, 1);"
                   f"UPDATE mcdc_snap SET v = v + 1 WHERE id = {n % 3000 + 1};"
                   f"DELETE FROM mcdc_snap WHERE id = {2999 - n % 2000}")
            writes[0] += 1

    writer = threading.Thread(target=write_meanwhile)
    writer.start()
    proc = _run(d, text, stdout=subprocess.DEVNULL)
    try:
        wait_until(lambda: writes[0] >= 40, timeout=30, what="writes")
        wait_until(lambda: os.path.exists(f"{d}/state/checkpoints/db.json"), timeout=30,
                   what="the snapshot acknowledged")
        time.sleep(0.5)
        stop.set()
        writer.join()
        expected = {int(r[0]): int(r[1]) for r in db.sql("SELECT id, v FROM mcdc_snap")}
        wait_until(lambda: _replay(f"{d}/out.jsonl")[0] == expected, timeout=30, what="the captured table equal")
        _stop(proc)
    finally:
        stop.set()
        writer.join()
        _finish(proc)
        db.sql("DROP TABLE IF EXISTS mcdc_snap")
    table, snapshot_ids = _replay(f"{d}/out.jsonl")
    assert len(snapshot_ids) == len(set(snapshot_ids)), "a row read twice by the snapshot"
    assert table == expected
    print(f"    {len(snapshot_ids)} rows in the snapshot, {writes[0]} write transactions meanwhile; "
          f"{len(expected)} rows equal to the table")


def _replay(path):
    """The table the change events describe, applied in order, and the ids the snapshot read."""
    table, snapshot_ids = {}, []
    for r in _lines(path):
        if r["op"] == "d":
            table.pop(r["before"]["id"], None)
        else:
            table[r["after"]["id"]] = r["after"]["v"]
        if r["op"] == "r":
            snapshot_ids.append(r["after"]["id"])
    return table, snapshot_ids


def test_binlog_connection_survives_a_sink_blocked_for_4x_the_servers_net_write_timeout():
    """The server's net_write_timeout is 5 s; nobody reads pipe's stdout for 20 s."""
    server = databases.start_mariadb({"net_write_timeout": "5"})
    try:
        server.sql("CREATE TABLE mcdc_blocked (id INT PRIMARY KEY, pad TEXT)")
        d = tmpdir()
        write(f"{d}/p.yaml", "sources:" + _source("db", server, ["mcdc_blocked"]) +
              "\nsinks:\n  out: {type: stdout, inputs: [db], format: json}\nsettings:\n  queue_capacity: 1\n")
        proc = start_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--no-watch"],
                          stderr=open(f"{d}/stderr.log", "w"))
        drained = []
        reader = threading.Thread(target=lambda: drained.extend(json.loads(l) for l in proc.stdout))
        dump = "SELECT ID FROM information_schema.PROCESSLIST WHERE COMMAND LIKE 'Binlog Dump%'"
        try:
            _streaming(d, "db")
            wait_until(lambda: server.value(dump) is not None, timeout=30, what="the binlog dump running")
            dump_before = server.value(dump)
            # 40 MB, far more than the pipe buffer, one queued batch and both sockets' buffers: the sink blocks in
            # write(), the source behind it, and the server's dump thread behind the source.
            server.sql("INSERT INTO mcdc_blocked SELECT seq, REPEAT('p', 2000) FROM seq_1_to_20000")
            for second in range(20):
                if second % 5 == 2:  # changes while blocked, too
                    first = 20001 + second * 100
                    server.sql(f"INSERT INTO mcdc_blocked SELECT seq, 'during' FROM seq_{first}_to_{first + 99}")
                time.sleep(1)
            dump_during = server.value(dump)
        finally:
            reader.start()  # reading stdout unblocks the sink
        try:
            wait_until(lambda: len(drained) >= 20400, timeout=60, what="every change on stdout")
            dump_after = server.value(dump)
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=30)
            reader.join(timeout=30)
        finally:
            _finish(proc)
    finally:
        server.stop()
    log = open(f"{d}/stderr.log").read()
    ids = [r["after"]["id"] for r in drained]
    assert dump_before == dump_during == dump_after, (dump_before, dump_during, dump_after, log)
    assert log.count("reading the binlog from") == 1 and "disconnected" not in log and "retrying" not in log, log
    assert sorted(ids) == list(range(1, 20001)) + [i for s in (2, 7, 12, 17)
                                                   for i in range(20001 + s * 100, 20101 + s * 100)]
    print(f"    blocked 20 s (4x net_write_timeout 5 s): binlog dump thread {dump_before} kept, "
          f"{len(ids)} changes delivered once")


def test_initial_only_reads_the_tables_once_and_ends():
    """snapshot: initial_only (issue 21 item 1): 700 rows in chunks of 300, exit 0, no checkpoint; a second run
    reads the table again as it is then."""
    db = databases.mariadb()
    db.sql("DROP TABLE IF EXISTS mcdc_once; CREATE TABLE mcdc_once (id INT PRIMARY KEY, v INT);"
           "INSERT INTO mcdc_once SELECT seq, seq FROM seq_1_to_700;")
    d = tmpdir()

    def run(out):
        write(f"{d}/p.yaml", "sources:" + _source("db", db, ["mcdc_once"], extra="\n    snapshot: initial_only\n"
                                                  "    batch_size: 300") +
              f"\nsinks:\n  out: {{type: file, inputs: [db], path: '{out}'}}\n")
        p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--no-watch"], timeout=60)
        assert p.returncode == 0, p.stderr
        assert "snapshot: initial_only" in p.stderr, p.stderr
        return _lines(out)

    try:
        first = run(f"{d}/first.jsonl")
        assert sorted(r["after"]["id"] for r in first) == list(range(1, 701))
        assert {r["op"] for r in first} == {"r"}
        assert not os.path.exists(f"{d}/state/checkpoints/db.json")
        db.sql("DELETE FROM mcdc_once WHERE id > 600; UPDATE mcdc_once SET v = 0 WHERE id = 1;")
        second = run(f"{d}/second.jsonl")
        assert len(second) == 600 and {"id": 1, "v": 0} in [r["after"] for r in second], len(second)
    finally:
        db.sql("DROP TABLE IF EXISTS mcdc_once;")


def test_transaction_metadata_marks_each_transaction_with_begin_and_end_and_numbers_its_changes():
    """transaction_metadata: true (issue 21 item 1), as Debezium's provide.transaction.metadata: a transaction of
    three changes on two tables and one of a single change get BEGIN/END records on shop.transaction keyed by the
    GTID (END with the counts per table), each change a `transaction` block with its order overall and in its
    table; a transaction of an uncaptured table gets no markers."""
    db = databases.mariadb()
    db.sql("DROP TABLE IF EXISTS tm_a, tm_b, tm_other; CREATE TABLE tm_a (id INT PRIMARY KEY);"
           "CREATE TABLE tm_b (id INT PRIMARY KEY); CREATE TABLE tm_other (id INT PRIMARY KEY);")
    d = tmpdir()
    yaml_text = ("sources:" + _source("db", db, ["tm_a", "tm_b"], extra="\n    transaction_metadata: true") +
                 f"\nsinks:\n  out: {{type: file, inputs: [db], path: '{d}/out.jsonl', format: json}}\n")
    proc = _run(d, yaml_text)
    try:
        _streaming(d, "db")
        db.sql("BEGIN; INSERT INTO tm_a VALUES (1); INSERT INTO tm_b VALUES (2); INSERT INTO tm_a VALUES (3); COMMIT;"
               "INSERT INTO tm_other VALUES (9); INSERT INTO tm_b VALUES (4);")
        wait_until(lambda: len(_lines(f"{d}/out.jsonl")) >= 8, timeout=30, what="8 records")
        _stop(proc)
    finally:
        _finish(proc)
        db.sql("DROP TABLE IF EXISTS tm_a, tm_b, tm_other;")
    records = _lines(f"{d}/out.jsonl")
    assert [r.get("status") for r in records] == ["BEGIN", None, None, None, "END", "BEGIN", None, "END"], records
    begin, a1, b2, a3, end = records[:5]
    gtid = a1["source"]["gtid"]
    assert gtid and begin == {**begin, "status": "BEGIN", "id": gtid, "event_count": None, "data_collections": None}
    assert [(r["transaction"]["total_order"], r["transaction"]["data_collection_order"]) for r in (a1, b2, a3)] == \
        [(1, 1), (2, 1), (3, 2)]
    assert all(r["transaction"]["id"] == gtid for r in (a1, b2, a3))
    db_name = a1["source"]["db"]
    assert end["status"] == "END" and end["id"] == gtid and end["event_count"] == 3, end
    assert end["data_collections"] == [{"data_collection": f"{db_name}.tm_a", "event_count": 2},
                                       {"data_collection": f"{db_name}.tm_b", "event_count": 1}], end
    assert records[5]["id"] != gtid and records[6]["after"] == {"id": 4} and records[7]["event_count"] == 1
    print(f"    BEGIN {gtid}, 3 changes numbered, END {end['data_collections']}")


def test_tombstones_on_delete_follow_each_delete_event_with_its_key_and_a_null_value():
    """tombstones_on_delete: true, as Debezium's tombstones.on.delete: a delete's debezium event is followed by a
    record with the same topic and key and a null value; inserts and updates get none."""
    db = databases.mariadb()
    db.sql("DROP TABLE IF EXISTS tb_a; CREATE TABLE tb_a (id INT PRIMARY KEY, v INT);")
    d = tmpdir()
    yaml_text = ("sources:" + _source("db", db, ["tb_a"], extra="\n    tombstones_on_delete: true") +
                 f"\nsinks:\n  out: {{type: file, inputs: [db], path: '{d}/out.jsonl', format: jsonl, "
                 "metadata: true}\n")
    proc = _run(d, yaml_text)
    try:
        _streaming(d, "db")
        db.sql("INSERT INTO tb_a VALUES (1, 1), (2, 2); UPDATE tb_a SET v = 3 WHERE id = 1;"
               "DELETE FROM tb_a WHERE id = 2; INSERT INTO tb_a VALUES (3, 3);")
        wait_until(lambda: len(_lines(f"{d}/out.jsonl")) >= 6, timeout=30, what="6 records")
        _stop(proc)
    finally:
        _finish(proc)
        db.sql("DROP TABLE IF EXISTS tb_a;")
    records = _lines(f"{d}/out.jsonl")
    ops = [r["value"]["op"] if r["value"] is not None else None for r in records]
    assert ops == ["c", "c", "u", "d", None, "c"], records
    delete, tombstone = records[3], records[4]
    assert tombstone["key"] == delete["key"] == {"id": 2} and tombstone["topic"] == delete["topic"], records
