"""The postgres sink against the real PostgreSQL 15 of tests/support/databases.py: exact table contents after
inserts, upserts, updates and deletes; a row the table refuses goes to the dead letter while the rest commits;
auto_create and auto_evolve; values that keep their precision; class 42 errors that say what to change; and
exactly_once through SIGKILLs (each row once, checked with a query)."""
import base64
import glob
import json
import os
import random
import signal
import subprocess
import threading
import time

import databases
from harness import ROOT, read_lines, run_pipe, sigkill_runs, start_pipe, tmpdir, wait_until, write


def _change(key, value, topic="shop.public.customers"):
    """A dead_letter-format line: the record with this key, value (None: a tombstone) and topic."""
    return json.dumps({"record": {"key": key, "value": value, "topic": topic}})


def _run_finite(d, pg, lines, sink_options, expect_exit=0):
    write(f"{d}/in.jsonl", "".join(l + "\n" for l in lines))
    options = "".join(f"\n    {line}" for line in sink_options.strip().split("\n"))
    write(f"{d}/p.yaml", f"""
sources:
  in: {{type: file, path: {d}/in.jsonl, format: dead_letter}}
sinks:
  out:
    type: postgres
    inputs: [in]
    dsn: "{pg.url}"{options}
""")
    p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--no-watch"], timeout=60)
    assert p.returncode == expect_exit, f"pipe exited {p.returncode}:\n{p.stderr}"
    return p


def _rows(pg, sql):
    return pg.sql(sql)


def test_upserts_and_deletes_leave_the_last_state_of_each_key():
    pg = databases.postgres()
    pg.sql("DROP TABLE IF EXISTS sink_customers; CREATE TABLE sink_customers (id int PRIMARY KEY, name text, "
           "tier int);")
    rng = random.Random(9)
    expected, lines = {}, []
    for _ in range(3000):  # more than one flush, many changes of one key within a flush
        key = rng.randrange(200)
        if rng.random() < 0.2:
            lines.append(_change({"id": key}, None, "shop.public.sink_customers"))
            expected.pop(key, None)
        else:
            row = {"id": key, "name": f"n{rng.randrange(10**6)}", "tier": rng.randrange(5)}
            lines.append(_change({"id": key}, row, "shop.public.sink_customers"))
            expected[key] = row
    d = tmpdir()
    _run_finite(d, pg, lines, "mode: upsert\ndelete_on_tombstone: true\nbatch: {max_records: 700}")
    got = {int(r[0]): {"id": int(r[0]), "name": r[1], "tier": int(r[2])}
           for r in _rows(pg, "SELECT id, name, tier FROM sink_customers")}
    assert got == expected, f"{len(got)} rows, expected {len(expected)}"
    print(f"    3000 changes over 200 keys: the table holds the last state of each of {len(expected)} keys")


def test_insert_mode_copies_text_with_tabs_newlines_and_backslashes_exactly():
    pg = databases.postgres()
    pg.sql("DROP TABLE IF EXISTS sink_notes; CREATE TABLE sink_notes (n int, body text, note text);")
    bodies = ["plain", "tab\there", "line\nbreak", "back\\slash", "\\N", "cr\r", "quote ' \" ,", "ünï©ødé", ""]
    lines = [_change(None, {"n": i, "body": b, "note": None}, "x.sink_notes") for i, b in enumerate(bodies)]
    d = tmpdir()
    _run_finite(d, pg, lines, "table: \"{table}\"")
    got = pg.sql("SELECT n, encode(convert_to(body, 'UTF8'), 'base64'), note IS NULL FROM sink_notes ORDER BY n")
    assert [(int(n), base64.b64decode(b).decode(), isnull) for n, b, isnull in got] == \
        [(i, b, "t") for i, b in enumerate(bodies)]


def test_insert_mode_keeps_the_order_of_inserts_and_deletes_and_rejects_tombstones_it_may_not_apply():
    pg = databases.postgres()
    pg.sql("DROP TABLE IF EXISTS sink_log; CREATE TABLE sink_log (id int PRIMARY KEY, v text);")
    rows = [(1, "a"), (2, "b"), (2, None), (2, "b2"), (1, None), (3, "c")]  # None: a tombstone
    changes = [_change({"id": i}, None if v is None else {"id": i, "v": v}, "l.sink_log") for i, v in rows]
    _run_finite(tmpdir(), pg, changes, "delete_on_tombstone: true")
    assert pg.sql("SELECT id, v FROM sink_log ORDER BY id") == [("2", "b2"), ("3", "c")]
    pg.sql("TRUNCATE sink_log")
    d = tmpdir()
    _run_finite(d, pg, changes[:3], f"on_error: dead_letter\ndead_letter_path: {d}/dead.jsonl")
    assert pg.sql("SELECT id, v FROM sink_log ORDER BY id") == [("1", "a"), ("2", "b")]
    dead = [json.loads(l) for l in read_lines(f"{d}/dead.jsonl")]
    assert [(l["record"]["key"], l["record"]["value"]) for l in dead] == [({"id": 2}, None)], dead
    assert "delete_on_tombstone is false" in dead[0]["error"]["message"], dead


def test_update_mode_changes_existing_rows_and_rejects_a_missing_one():
    pg = databases.postgres()
    pg.sql("DROP TABLE IF EXISTS sink_stock; CREATE TABLE sink_stock (sku text PRIMARY KEY, qty int);"
           "INSERT INTO sink_stock VALUES ('a', 1), ('b', 2);")
    d = tmpdir()
    lines = [_change("a", {"qty": 10}, "w.sink_stock"), _change("zz", {"qty": 5}, "w.sink_stock"),
             _change("b", {"qty": 20}, "w.sink_stock")]
    _run_finite(d, pg, lines, f"mode: update\nprimary_key: [sku]\non_error: dead_letter\n"
                              f"dead_letter_path: {d}/dead.jsonl")
    assert pg.sql("SELECT sku, qty FROM sink_stock ORDER BY sku") == [("a", "10"), ("b", "20")]
    dead = [json.loads(l) for l in read_lines(f"{d}/dead.jsonl")]
    assert [l["record"]["key"] for l in dead] == ["zz"], dead
    assert "no row with this key" in dead[0]["error"]["message"]


def test_rows_violating_constraints_go_to_the_dead_letter_and_the_rest_commits():
    pg = databases.postgres()
    pg.sql("DROP TABLE IF EXISTS sink_orders; CREATE TABLE sink_orders (id int PRIMARY KEY, amount numeric "
           "CHECK (amount >= 0), item text NOT NULL);")
    lines = []
    bad = {17: "negative amount", 40: "no item", 41: "duplicate id", 90: "not a number"}
    for i in range(100):
        row = {"id": i, "amount": i, "item": f"item{i}"}
        if i == 17:
            row["amount"] = -1
        if i == 40:
            row["item"] = None
        if i == 41:
            row["id"] = 3  # inserted already: a unique violation
        if i == 90:
            row["amount"] = "lots"
        lines.append(_change(None, row, "s.sink_orders"))
    for mode in ("insert", "upsert"):
        pg.sql("TRUNCATE sink_orders")
        d = tmpdir()
        _run_finite(d, pg, lines, f"mode: {mode}\nprimary_key: [id]\non_error: dead_letter\n"
                                  f"dead_letter_path: {d}/dead.jsonl")
        dead = [json.loads(l) for l in read_lines(f"{d}/dead.jsonl")]
        refused = {17, 40, 90} | ({41} if mode == "insert" else set())
        got = sorted(int(r[0]) for r in pg.sql("SELECT id FROM sink_orders"))
        assert got == sorted(set(range(100)) - refused - {41}), f"{mode}: {len(got)} rows"
        letters = [(l["record"]["value"]["id"], l["record"]["value"]["item"]) for l in dead]
        if mode == "insert":
            assert sorted(str(l["record"]["value"]["item"]) for l in dead) == ["None", "item17", "item41",
                                                                                "item90"], letters
        else:  # upsert: id 3 is written twice (item3, then item41): no violation, the last one wins
            assert len(dead) == 3, letters
            assert pg.value("SELECT item FROM sink_orders WHERE id = 3") == "item41"
        messages = " ".join(l["error"]["message"] for l in dead)
        assert "SQLSTATE 23514" in messages and "SQLSTATE 23502" in messages and "SQLSTATE 22P02" in messages, messages
        assert all(l["stage"] == "sink" for l in dead)


def test_auto_create_and_auto_evolve_build_the_table_from_the_records():
    pg = databases.postgres()
    pg.sql("DROP TABLE IF EXISTS sink_auto;")
    lines = [_change({"id": 1}, {"id": 1, "name": "Ada", "score": 1.5, "active": True}, "a.sink_auto"),
             _change({"id": 2}, {"id": 2, "name": "Grace", "score": 2.0, "active": False}, "a.sink_auto"),
             _change({"id": 3}, {"id": 3, "name": "Edsger", "score": 3.25, "active": True, "city": "Nuenen",
                                 "tags": {"x": 1}}, "a.sink_auto")]
    d = tmpdir()
    _run_finite(d, pg, lines[:2], "mode: upsert\nauto_create: true")
    columns = pg.sql("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'sink_auto' "
                     "ORDER BY ordinal_position")
    assert columns == [("id", "bigint"), ("name", "text"), ("score", "double precision"), ("active", "boolean")]
    assert pg.value("SELECT string_agg(a.attname, ',') FROM pg_index i JOIN pg_attribute a ON a.attrelid = "
                    "i.indrelid AND a.attnum = ANY(i.indkey) WHERE i.indrelid = 'sink_auto'::regclass AND "
                    "i.indisprimary") == "id"
    # A new field without auto_evolve: the pipeline stops, naming the column and what to change.
    p = _run_finite(tmpdir(), pg, lines[2:], "mode: upsert\nauto_create: true", expect_exit=1)
    assert "no column for the record fields city, tags" in p.stderr and "auto_evolve: true" in p.stderr, p.stderr
    _run_finite(tmpdir(), pg, lines[2:], "mode: upsert\nauto_create: true\nauto_evolve: true")
    assert pg.sql("SELECT id, name, score, active, city, tags FROM sink_auto ORDER BY id") == [
        ("1", "Ada", "1.5", "t", "", ""), ("2", "Grace", "2", "f", "", ""),
        ("3", "Edsger", "3.25", "t", "Nuenen", '{"x": 1}')]


def test_values_keep_their_precision():
    pg = databases.postgres()
    pg.sql("DROP TABLE IF EXISTS sink_types; CREATE TABLE sink_types (id int PRIMARY KEY, big numeric, "
           "f double precision, ts timestamptz, t timestamp, u uuid, j jsonb, js json, b bytea, d date);")
    wide = "123456789012345678901234567890123456789012345.123456789"
    lines = [
        _change({"id": 1}, {"id": 1, "big": wide, "f": 0.1, "ts": "2024-02-29T13:14:15.123456Z",
                            "t": "2024-02-29T13:14:15.654321", "u": "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
                            "j": {"a": [1, 2], "b": "x"}, "js": '{"keep":  "spacing"}', "d": "2024-02-29"},
                "t.sink_types"),
        _change({"id": 2}, {"id": 2, "big": "NaN", "f": "NaN"}, "t.sink_types"),
        _change({"id": 3}, {"id": 3, "big": "-Infinity", "f": "Infinity"}, "t.sink_types"),
    ]
    d = tmpdir()
    _run_finite(d, pg, lines, "mode: upsert")
    rows = pg.sql("SELECT id, big, f, ts, t, u, j, js, d FROM sink_types ORDER BY id")
    assert rows[0] == ("1", wide, "0.1", "2024-02-29 13:14:15.123456+00", "2024-02-29 13:14:15.654321",
                       "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", '{"a": [1, 2], "b": "x"}', '{"keep":  "spacing"}',
                       "2024-02-29"), rows[0]
    assert rows[1][1:3] == ("NaN", "NaN") and rows[2][1:3] == ("-Infinity", "Infinity"), rows


def test_a_missing_table_or_a_wrong_password_fails_at_once_without_showing_the_password():
    pg = databases.postgres()
    pg.sql("DROP TABLE IF EXISTS sink_nowhere;")
    p = _run_finite(tmpdir(), pg, [_change(None, {"a": 1}, "x.sink_nowhere")], "", expect_exit=1)
    assert "table sink_nowhere does not exist" in p.stderr and "auto_create: true" in p.stderr, p.stderr
    assert pg.password not in p.stderr + p.stdout
    wrong = pg.url.replace(f":{pg.password}@", ":not-the-Pa55word@")
    d = tmpdir()
    write(f"{d}/in.jsonl", _change(None, {"a": 1}, "x.sink_nowhere") + "\n")
    write(f"{d}/p.yaml", f"sources:\n  in: {{type: file, path: {d}/in.jsonl, format: dead_letter}}\n"
                         f"sinks:\n  out: {{type: postgres, inputs: [in], dsn: '{wrong}'}}\n")
    p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--no-watch"], timeout=60)
    assert p.returncode != 0 and "password authentication failed" in p.stderr, p.stderr
    assert "not-the-Pa55word" not in p.stderr + p.stdout, p.stderr


def _count(pg, table):
    return int(pg.value(f"SELECT count(*) FROM {table}"))


def test_exactly_once_through_sigkills_writes_each_row_once():
    """Insert mode into a table without a key, where a repeated record would be a second row: with exactly_once
    the offsets committed with the rows make a restart skip what is in the table already."""
    pg = databases.postgres()
    pg.sql("DROP TABLE IF EXISTS sink_once; CREATE TABLE sink_once (n int, pad text);")
    d = tmpdir()
    total, runs = 42000, 14
    open(f"{d}/in.jsonl", "w").close()
    write(f"{d}/p.yaml", f"""
sources:
  in: {{type: file, path: {d}/in.jsonl, format: json, mode: follow, batch_size: 500}}
sinks:
  once:
    type: postgres
    inputs: [in]
    dsn: "{pg.url}"
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
    before = _count(pg, "sink_once")
    proc = start_pipe(args, stdout=subprocess.DEVNULL)
    try:
        wait_until(lambda: _count(pg, "sink_once") >= total, timeout=120, what=f"{total} rows")
        time.sleep(0.5)  # a repeat, if there were one, would land now
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
        assert proc.returncode == 0, err
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    rows, distinct = pg.sql("SELECT count(*), count(DISTINCT n) FROM sink_once")[0]
    assert kills >= 10, f"only {kills} kills landed mid-run"
    assert (int(rows), int(distinct)) == (total, total), f"{rows} rows, {distinct} distinct of {total}"
    print(f"    {kills} SIGKILLs ({before} rows written by the killed runs): {total} rows, each exactly once")


def _table_text(pg, database):
    return pg.sql("SELECT id, name, balance, updated FROM customers ORDER BY id", database)


def test_the_postgres_cdc_example_keeps_an_equal_copy_through_sigkills():
    """pipelines/postgres-cdc.yaml with writes going on and SIGKILLs at random moments: afterwards the target table
    equals the source table (compared row by row, both ways) and the changes are archived by date."""
    pg = databases.postgres()
    suffix = f"{os.getpid()}_{random.randrange(10**6)}"
    src, dst = f"cdc_src_{suffix}", f"cdc_dst_{suffix}"
    pg.sql(f"CREATE DATABASE {src}", "postgres")
    pg.sql(f"CREATE DATABASE {dst}", "postgres")
    table = "CREATE TABLE customers (id int PRIMARY KEY, name text, balance numeric(12,2), updated timestamptz);"
    pg.sql(table + "INSERT INTO customers SELECT g, 'c' || g, g * 1.25, now() FROM generate_series(1, 500) g;", src)
    pg.sql(table, dst)  # created ahead for its exact types (auto_create would make `updated` text)
    d = tmpdir()
    env = {"SOURCE_PG_URL": pg.url_for(src), "TARGET_PG_URL": pg.url_for(dst), "OUT_DIR": f"{d}/out"}
    args = ["run", os.path.join(ROOT, "pipelines", "postgres-cdc.yaml"), "--state-dir", f"{d}/state", "--no-watch"]
    rng = random.Random(11)
    stop = threading.Event()

    def write_changes():
        next_id = 501
        while not stop.is_set():
            ids = [rng.randrange(1, next_id) for _ in range(20)]
            pg.sql(f"INSERT INTO customers SELECT g, 'n' || g, g, now() FROM generate_series({next_id}, "
                   f"{next_id + 19}) g;"
                   f"UPDATE customers SET balance = balance + 1, updated = now() WHERE id IN "
                   f"({','.join(map(str, ids[:10]))});"
                   f"DELETE FROM customers WHERE id IN ({','.join(map(str, ids[10:13]))});", src)
            next_id += 20
            time.sleep(0.05)

    writer = threading.Thread(target=write_changes)
    kills = 0
    try:
        # The snapshot first, to its end: postgres_cdc takes a snapshot cut short again from scratch, and cannot see
        # what was deleted in between (its README: resuming a snapshot is not there yet).
        proc = start_pipe(args, env=env, stdout=subprocess.DEVNULL)
        wait_until(lambda: pg.value("SELECT count(*) FROM customers", dst) == "500", timeout=60, what="the snapshot")
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
        assert proc.returncode == 0, err
        writer.start()
        for _ in range(8):
            proc = start_pipe(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.5, 2.0))
            if proc.poll() is None:
                proc.kill()
                kills += 1
            proc.wait()
        stop.set()
        writer.join()
        proc = start_pipe(args, env=env)
        try:
            wait_until(lambda: _table_text(pg, src) == _table_text(pg, dst), timeout=90, what="equal tables")
            proc.send_signal(signal.SIGTERM)
            _, err = proc.communicate(timeout=30)
            assert proc.returncode == 0, err
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        only_src = set(_table_text(pg, src)) - set(_table_text(pg, dst))
        only_dst = set(_table_text(pg, dst)) - set(_table_text(pg, src))
        assert not only_src and not only_dst, (list(only_src)[:3], list(only_dst)[:3])
        rows = len(_table_text(pg, src))
        assert kills >= 5, f"only {kills} kills landed mid-run"
        assert glob.glob(f"{d}/out/customers/dt=*/part-*.jsonl"), "no archive files"
        print(f"    {kills} SIGKILLs while writing: {rows} rows, source and copy equal both ways")
    finally:
        stop.set()
        if writer.is_alive():
            writer.join()
        pg.sql(f"SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE database = '{src}';"
               f"DROP DATABASE {src}; DROP DATABASE {dst};", "postgres")
