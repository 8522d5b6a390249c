"""The mysql sink against the real MariaDB 10.11 of tests/support/databases.py: exact table contents after
inserts, upserts, updates and deletes; a row the table refuses goes to the dead letter while the rest of the
flush commits; auto_create and auto_evolve; values that keep their precision; a missing table and a wrong
password that say what to change; and exactly_once through SIGKILLs (each row once, checked with a query)."""
import json
import random
import select
import signal
import subprocess
import time

import databases
from harness import read_lines, run_pipe, sigkill_runs, start_pipe, tmpdir, wait_until, write


def _change(key, value, topic="shop.customers"):
    """A dead_letter-format line: the record with this key, value (None: a tombstone) and topic."""
    return json.dumps({"record": {"key": key, "value": value, "topic": topic}})


def _run_finite(d, db, lines, sink_options, expect_exit=0):
    write(f"{d}/in.jsonl", "".join(l + "\n" for l in lines))
    options = "".join(f"\n    {line}" for line in sink_options.strip().split("\n")) if sink_options.strip() else ""
    write(f"{d}/p.yaml", f"""
sources:
  in: {{type: file, path: {d}/in.jsonl, format: dead_letter}}
sinks:
  out:
    type: mysql
    inputs: [in]
    dsn: "{db.url}"{options}
""")
    p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--no-watch"], timeout=60)
    assert p.returncode == expect_exit, f"pipe exited {p.returncode}:\n{p.stderr}"
    return p


def test_upserts_and_deletes_leave_the_last_state_of_each_key():
    db = databases.mariadb()
    db.sql("DROP TABLE IF EXISTS sink_customers; CREATE TABLE sink_customers (id INT PRIMARY KEY, name TEXT, "
           "tier INT);")
    rng = random.Random(9)
    expected, lines = {}, []
    for _ in range(3000):  # more than one flush, many changes of one key within a flush
        key = rng.randrange(200)
        if rng.random() < 0.2:
            lines.append(_change({"id": key}, None, "shop.sink_customers"))
            expected.pop(key, None)
        else:
            row = {"id": key, "name": f"n{rng.randrange(10**6)}", "tier": rng.randrange(5)}
            lines.append(_change({"id": key}, row, "shop.sink_customers"))
            expected[key] = row
    _run_finite(tmpdir(), db, lines, "mode: upsert\ndelete_on_tombstone: true\nbatch: {max_records: 700}")
    got = {int(r[0]): {"id": int(r[0]), "name": r[1], "tier": int(r[2])}
           for r in db.sql("SELECT id, name, tier FROM sink_customers")}
    assert got == expected, f"{len(got)} rows, expected {len(expected)}"
    print(f"    3000 changes over 200 keys: the table holds the last state of each of {len(expected)} keys")


def test_insert_mode_writes_quotes_backslashes_and_unicode_exactly_and_keeps_the_order_with_deletes():
    db = databases.mariadb()
    db.sql("DROP TABLE IF EXISTS sink_notes; CREATE TABLE sink_notes (n INT, body TEXT, note TEXT) "
           "DEFAULT CHARSET=utf8mb4;")
    bodies = ["plain", "tab\there", "line\nbreak", "back\\slash", "\\N", "cr\r", "quote ' \" ,", "ünï©ødé 😀",
              "nul\x00byte", "", "'; DROP TABLE sink_notes; --"]
    lines = [_change(None, {"n": i, "body": b, "note": None}, "x.sink_notes") for i, b in enumerate(bodies)]
    _run_finite(tmpdir(), db, lines, "table: \"{table}\"")
    got = db.sql("SELECT n, HEX(body), note IS NULL FROM sink_notes ORDER BY n")
    assert [(int(n), bytes.fromhex(h).decode(), isnull) for n, h, isnull in got] == \
        [(i, b, "1") for i, b in enumerate(bodies)]

    db.sql("DROP TABLE IF EXISTS sink_log; CREATE TABLE sink_log (id INT PRIMARY KEY, v TEXT);")
    rows = [(1, "a"), (2, "b"), (2, None), (2, "b2"), (1, None), (3, "c")]  # None: a tombstone
    changes = [_change({"id": i}, None if v is None else {"id": i, "v": v}, "l.sink_log") for i, v in rows]
    _run_finite(tmpdir(), db, changes, "delete_on_tombstone: true")
    assert db.sql("SELECT id, v FROM sink_log ORDER BY id") == [("2", "b2"), ("3", "c")]
    db.sql("TRUNCATE sink_log")
    d = tmpdir()
    _run_finite(d, db, changes[:3], f"on_error: dead_letter\ndead_letter_path: {d}/dead.jsonl")
    assert db.sql("SELECT id, v FROM sink_log ORDER BY id") == [("1", "a"), ("2", "b")]
    dead = [json.loads(l) for l in read_lines(f"{d}/dead.jsonl")]
    assert [(l["record"]["key"], l["record"]["value"]) for l in dead] == [({"id": 2}, None)], dead
    assert "delete_on_tombstone is false" in dead[0]["error"]["message"], dead


def test_update_mode_changes_existing_rows_and_rejects_a_missing_one():
    db = databases.mariadb()
    db.sql("DROP TABLE IF EXISTS sink_stock; CREATE TABLE sink_stock (sku VARCHAR(20) PRIMARY KEY, qty INT);"
           "INSERT INTO sink_stock VALUES ('a', 1), ('b', 2), ('c', 3);")
    d = tmpdir()
    lines = [_change("a", {"qty": 10}, "w.sink_stock"), _change("zz", {"qty": 5}, "w.sink_stock"),
             _change("b", {"qty": 20}, "w.sink_stock"), _change("c", {"qty": 3}, "w.sink_stock")]
    _run_finite(d, db, lines, f"mode: update\nprimary_key: [sku]\non_error: dead_letter\n"
                              f"dead_letter_path: {d}/dead.jsonl")
    # c's value does not change: the row is still there (matched, not changed), so it is no rejection.
    assert db.sql("SELECT sku, qty FROM sink_stock ORDER BY sku") == [("a", "10"), ("b", "20"), ("c", "3")]
    dead = [json.loads(l) for l in read_lines(f"{d}/dead.jsonl")]
    assert [l["record"]["key"] for l in dead] == ["zz"], dead
    assert "no row with this key" in dead[0]["error"]["message"]


def test_rows_the_table_refuses_go_to_the_dead_letter_and_the_rest_of_the_flush_commits():
    db = databases.mariadb()
    db.sql("DROP TABLE IF EXISTS sink_orders; CREATE TABLE sink_orders (id INT PRIMARY KEY, amount DECIMAL(10,2) "
           "CHECK (amount >= 0), item VARCHAR(10) NOT NULL, qty TINYINT);")
    lines = []
    for i in range(100):
        row = {"id": i, "amount": i, "item": f"item{i}", "qty": 1}
        if i == 17:
            row["amount"] = -1           # CHECK constraint (4025)
        if i == 40:
            row["item"] = None           # NOT NULL (1048)
        if i == 41:
            row["id"] = 3                # inserted already: a duplicate (1062) in insert mode
        if i == 90:
            row["amount"] = "lots"       # not a number (1366)
        if i == 91:
            row["item"] = "x" * 11       # too long (1406)
        if i == 92:
            row["qty"] = 1000            # out of range (1264)
        lines.append(_change(None, row, "s.sink_orders"))
    for mode in ("insert", "upsert"):
        db.sql("TRUNCATE sink_orders")
        d = tmpdir()
        _run_finite(d, db, lines, f"mode: {mode}\nprimary_key: [id]\non_error: dead_letter\n"
                                  f"dead_letter_path: {d}/dead.jsonl")
        dead = [json.loads(l) for l in read_lines(f"{d}/dead.jsonl")]
        refused = {17, 40, 90, 91, 92} | ({41} if mode == "insert" else set())
        got = sorted(int(r[0]) for r in db.sql("SELECT id FROM sink_orders"))
        assert got == sorted(set(range(100)) - refused - {41}), f"{mode}: {len(got)} rows"
        items = sorted(str(l["record"]["value"]["item"]) for l in dead)
        if mode == "insert":
            assert items == ["None", "item17", "item41", "item90", "item92", "x" * 11], items
        else:  # upsert: id 3 is written twice (item3, then item41): no duplicate, the last one wins
            assert items == ["None", "item17", "item90", "item92", "x" * 11], items
            assert db.value("SELECT item FROM sink_orders WHERE id = 3") == "item41"
        messages = " ".join(l["error"]["message"] for l in dead)
        for code in ["4025", "1048", "1366", "1406", "1264"] + (["1062"] if mode == "insert" else []):
            assert f"(error {code})" in messages, (code, messages)
        assert all(l["stage"] == "sink" for l in dead)


def test_auto_create_and_auto_evolve_build_the_table_from_the_records():
    db = databases.mariadb()
    db.sql("DROP TABLE IF EXISTS sink_auto;")
    lines = [_change({"id": "a1"}, {"id": "a1", "name": "Ada", "score": 1.5, "active": True}, "a.sink_auto"),
             _change({"id": "g2"}, {"id": "g2", "name": "Grace", "score": 2.0, "active": False}, "a.sink_auto"),
             _change({"id": "e3"}, {"id": "e3", "name": "Edsger", "score": 3.25, "active": True, "city": "Nuenen",
                                    "tags": {"x": 1}}, "a.sink_auto")]
    _run_finite(tmpdir(), db, lines[:2], "mode: upsert\nauto_create: true")
    columns = db.sql("SELECT COLUMN_NAME, COLUMN_TYPE, COLUMN_KEY FROM information_schema.COLUMNS WHERE "
                     "TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'sink_auto' ORDER BY ORDINAL_POSITION")
    assert columns == [("id", "varchar(255)", "PRI"), ("name", "longtext", ""), ("score", "double", ""),
                       ("active", "tinyint(1)", "")], columns
    assert db.value("SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND "
                    "TABLE_NAME = 'sink_auto'") == "InnoDB"
    # A new field without auto_evolve: the pipeline stops, naming the columns and what to change.
    p = _run_finite(tmpdir(), db, lines[2:], "mode: upsert\nauto_create: true", expect_exit=1)
    assert "no column for the record fields city, tags" in p.stderr and "auto_evolve: true" in p.stderr, p.stderr
    _run_finite(tmpdir(), db, lines[2:], "mode: upsert\nauto_create: true\nauto_evolve: true")
    assert db.sql("SELECT id, name, score, active, city, tags FROM sink_auto ORDER BY id") == [
        ("a1", "Ada", "1.5", "1", "NULL", "NULL"), ("e3", "Edsger", "3.25", "1", "Nuenen", '{"x":1}'),
        ("g2", "Grace", "2", "0", "NULL", "NULL")]


def test_values_keep_their_precision_and_timestamps_are_utc():
    db = databases.mariadb()
    db.sql("DROP TABLE IF EXISTS sink_types; CREATE TABLE sink_types (id INT PRIMARY KEY, big DECIMAL(65,20), "
           "f DOUBLE, ts DATETIME(6), tz TIMESTAMP(3) NULL, d DATE, j JSON, b VARBINARY(16), u BIGINT UNSIGNED);")
    wide = "123456789012345678901234567890123456789012345.12345678901234567890"
    lines = [_change({"id": 1}, {"id": 1, "big": wide, "f": 0.1, "ts": "2024-02-29 13:14:15.123456",
                                 "d": "2024-02-29", "j": {"a": [1, 2], "b": "x"}, "u": "18446744073709551615"},
                     "t.sink_types")]
    _run_finite(tmpdir(), db, lines, "mode: upsert")
    rows = db.sql("SELECT id, big, f, ts, d, j, u FROM sink_types ORDER BY id")
    assert rows[0] == ("1", wide, "0.1", "2024-02-29 13:14:15.123456", "2024-02-29", '{"a":[1,2],"b":"x"}',
                       "18446744073709551615"), rows[0]
    # A timestamp the SQL stage made (milliseconds since the epoch) reaches the column as UTC; the fields' upper
    # case names (ID, TZ) are the columns id and tz, as MySQL's names are case-insensitive.
    d = tmpdir()
    write(f"{d}/in.jsonl", '{"id": 2, "ms": 1709212455123}\n')
    write(f"{d}/p.yaml", f"""
sources:
  in: {{type: file, path: {d}/in.jsonl, format: json}}
transforms:
  q:
    type: sql
    inputs: [in]
    sql: |
      CREATE STREAM s (id INT, ms BIGINT) WITH (KAFKA_TOPIC='in', VALUE_FORMAT='JSON');
      CREATE STREAM typed AS SELECT id, FROM_UNIXTIME(ms) AS tz FROM s;
sinks:
  out: {{type: mysql, inputs: [typed], dsn: "{db.url}", table: sink_types, mode: upsert, primary_key: [ID]}}
""")
    p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--no-watch"], timeout=60)
    assert p.returncode == 0, p.stderr
    # The mariadb client runs in the server's time zone: ask for the UTC value explicitly.
    assert db.value("SET time_zone = '+00:00'; SELECT tz FROM sink_types WHERE id = 2") == \
        "2024-02-29 13:14:15.123"


def test_a_missing_table_or_a_wrong_password_is_one_line_that_says_what_to_change():
    db = databases.mariadb()
    db.sql("DROP TABLE IF EXISTS sink_nowhere;")
    p = _run_finite(tmpdir(), db, [_change(None, {"a": 1}, "x.sink_nowhere")], "", expect_exit=1)
    assert "table sink_nowhere does not exist" in p.stderr and "auto_create: true" in p.stderr, p.stderr
    assert db.password not in p.stderr + p.stdout
    # Upsert into a table whose key is not unique: ON DUPLICATE KEY UPDATE could never find a row.
    db.sql("DROP TABLE IF EXISTS sink_nokey; CREATE TABLE sink_nokey (id INT, v TEXT);")
    p = _run_finite(tmpdir(), db, [_change({"id": 1}, {"id": 1, "v": "a"}, "x.sink_nokey")], "mode: upsert",
                    expect_exit=1)
    assert "has no primary key or unique index on (id)" in p.stderr, p.stderr
    assert db.value("SELECT count(*) FROM sink_nokey") == "0"
    wrong = db.url.replace(f":{db.password}@", ":not-the-Pa55word@")
    d = tmpdir()
    write(f"{d}/in.jsonl", _change(None, {"a": 1}, "x.sink_nowhere") + "\n")
    write(f"{d}/p.yaml", f"sources:\n  in: {{type: file, path: {d}/in.jsonl, format: dead_letter}}\n"
                         f"sinks:\n  out: {{type: mysql, inputs: [in], dsn: '{wrong}'}}\n")
    p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--no-watch"], timeout=60)
    assert p.returncode != 0 and "Access denied" in p.stderr and "check the dsn's user, password" in p.stderr, \
        p.stderr
    assert "not-the-Pa55word" not in p.stderr + p.stdout, p.stderr
    lines = [l for l in p.stderr.splitlines() if "Access denied" in l]
    assert len(lines) == 1, p.stderr


def test_a_lock_wait_timeout_is_retried_and_the_flush_then_commits():
    """Another session holds a row lock longer than innodb_lock_wait_timeout: the sink's upsert fails with 1205,
    the flush is retried by the retry policy (not rejected, not fatal) and commits once the lock is gone."""
    db = databases.mariadb()
    db.sql("DROP TABLE IF EXISTS sink_locked; CREATE TABLE sink_locked (id INT PRIMARY KEY, v TEXT);"
           "INSERT INTO sink_locked VALUES (1, 'old');")
    # --unbuffered: the client answers each statement at once, so the test knows when the lock is held.
    holder = subprocess.Popen([databases.MARIADB_CLIENT, f"--defaults-extra-file={db.folder}/client.cnf", "--batch",
                               "--skip-column-names", "--unbuffered", db.database], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    db.set("innodb_lock_wait_timeout", 1)  # read by the sink's new session
    try:
        holder.stdin.write("START TRANSACTION; SELECT v FROM sink_locked WHERE id = 1 FOR UPDATE;\n")
        holder.stdin.flush()
        ready, _, _ = select.select([holder.stdout], [], [], 20)
        assert ready and holder.stdout.readline().strip() == "old", "the lock holder did not answer"
        d = tmpdir()
        lines = [_change({"id": i}, {"id": i, "v": "new"}, "l.sink_locked") for i in (1, 2)]
        write(f"{d}/in.jsonl", "".join(l + "\n" for l in lines))
        write(f"{d}/p.yaml", f"""
sources:
  in: {{type: file, path: {d}/in.jsonl, format: dead_letter}}
sinks:
  out: {{type: mysql, inputs: [in], dsn: "{db.url}", mode: upsert, retry: {{initial_backoff: 100ms, max_backoff: 200ms}}}}
""")
        proc = start_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--no-watch"])
        time.sleep(3)  # at least two lock wait timeouts
        assert proc.poll() is None, proc.communicate()[1]
        assert db.value("SELECT count(*) FROM sink_locked") == "1"  # nothing committed behind the lock
        holder.stdin.write("ROLLBACK;\n")
        holder.stdin.close()
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        assert "Lock wait timeout" in err and "error 1205" in err, err
    finally:
        db.set("innodb_lock_wait_timeout", 50)
        if holder.poll() is None:
            holder.kill()
        holder.wait()
    assert db.sql("SELECT id, v FROM sink_locked ORDER BY id") == [("1", "new"), ("2", "new")]


def _count(db, table):
    return int(db.value(f"SELECT count(*) FROM {table}"))


def test_exactly_once_through_sigkills_writes_each_row_once():
    """Insert mode into a table without a key, where a repeated record would be a second row: with exactly_once
    the offsets committed with the rows make a restart skip what is in the table already."""
    db = databases.mariadb()
    db.sql("DROP TABLE IF EXISTS sink_once; CREATE TABLE sink_once (n INT, pad TEXT);")
    d = tmpdir()
    total, runs = 42000, 14
    open(f"{d}/in.jsonl", "w").close()
    write(f"{d}/p.yaml", f"""
sources:
  in: {{type: file, path: {d}/in.jsonl, format: json, mode: follow, batch_size: 500}}
sinks:
  once:
    type: mysql
    inputs: [in]
    dsn: "{db.url}"
    table: sink_once
    exactly_once: true
    batch: {{max_records: 1500}}
    flush_interval: 50ms
""")
    args = ["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--no-watch"]
    rng, kills = random.Random(5), 0
    for run in range(runs):  # input keeps arriving while runs come and go, each killed at a random moment
        with open(f"{d}/in.jsonl", "a") as f:
            for i in range(run * total // runs, (run + 1) * total // runs):
                f.write(json.dumps({"n": i, "pad": "x" * 40}) + "\n")
        kills += sigkill_runs(args, rng, delay=(0.1, 0.5), runs=1)
    before = _count(db, "sink_once")
    proc = start_pipe(args, stdout=subprocess.DEVNULL)
    try:
        wait_until(lambda: _count(db, "sink_once") >= total, timeout=120, what=f"{total} rows")
        time.sleep(0.5)  # a repeat, if there were one, would land now
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
        assert proc.returncode == 0, err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    rows, distinct = db.sql("SELECT count(*), count(DISTINCT n) FROM sink_once")[0]
    assert kills >= 10, f"only {kills} kills landed mid-run"
    assert (int(rows), int(distinct)) == (total, total), f"{rows} rows, {distinct} distinct of {total}"
    print(f"    {kills} SIGKILLs ({before} rows written by the killed runs): {total} rows, each exactly once")
