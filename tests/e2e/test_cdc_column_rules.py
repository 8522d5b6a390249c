"""`columns` and `key_columns` of the CDC sources (issue 20 item 1, issue 21 item 1), against the real servers:
an excluded column is in no record (row and before/after images alike, the snapshot too), an include list keeps
only its columns and the key, and a table without a primary key gets the key `key_columns` names, as Debezium's
column.exclude.list and message.key.columns do."""
import json
import os
import signal

import databases
from harness import read_lines, run_pipe, start_pipe, tmpdir, wait_until, write


def _run_until(d, source_yaml, changes, apply, count):
    write(f"{d}/p.yaml", f"""
sources:
  db:{source_yaml}
sinks:
  out: {{type: file, inputs: [db], path: {d}/out.jsonl, format: jsonl, flush_interval: 50ms, metadata: true}}
""")
    proc = start_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--no-watch"])
    try:
        wait_until(lambda: os.path.exists(f"{d}/state/checkpoints/db.json") or len(read_lines(f"{d}/out.jsonl")),
                   timeout=30, what="the source streaming")
        apply(changes)
        wait_until(lambda: len(read_lines(f"{d}/out.jsonl")) >= count, timeout=30, what=f"{count} records")
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    return [json.loads(line) for line in read_lines(f"{d}/out.jsonl")]


def _check(records, customers, events):
    by_topic = {}
    for r in records:
        by_topic.setdefault(r["topic"].rsplit(".", 1)[1], []).append(r)
    people = by_topic[customers]
    # A snapshot row, an insert and an update: ssn is in none of them, before-images included.
    assert [r["value"]["op"] for r in people] == ["r", "c", "u"], people
    for r in people:
        for image in ("before", "after"):
            assert r["value"][image] is None or "ssn" not in r["value"][image], r
    assert people[1]["value"]["after"] == {"id": 2, "name": "Grace"}, people[1]
    assert people[2]["key"] == {"id": 1}, people[2]
    logs = by_topic[events]
    assert [r["key"] for r in logs] == [{"host": "a", "ts": 1}, {"host": "b", "ts": 2}], logs
    assert logs[0]["value"]["after"] == {"ts": 1, "host": "a"}, logs[0]  # include: ts and host, msg left out


def test_postgres_cdc_columns_and_key_columns():
    pg = databases.postgres()
    pg.sql("DROP TABLE IF EXISTS cr_customers, cr_events; DROP PUBLICATION IF EXISTS pipe_cr;"
           "CREATE TABLE cr_customers (id int PRIMARY KEY, name text, ssn text);"
           "ALTER TABLE cr_customers REPLICA IDENTITY FULL;"
           "CREATE TABLE cr_events (ts int, host text, msg text); ALTER TABLE cr_events REPLICA IDENTITY FULL;"
           "INSERT INTO cr_customers VALUES (1, 'Ada', '123-45');")
    source = f"""
    type: postgres_cdc
    dsn: {pg.url}
    slot: pipe_cr
    tables: [cr_customers, cr_events]
    snapshot: initial
    columns: {{exclude: ["public.cr_customers.ssn", "public.cr_events.msg"]}}
    key_columns: {{"public.cr_events": "host, ts"}}"""
    try:
        records = _run_until(tmpdir(), source, "INSERT INTO cr_customers VALUES (2, 'Grace', '678-90');"
                             "UPDATE cr_customers SET name = 'Ada L.' WHERE id = 1;"
                             "INSERT INTO cr_events VALUES (1, 'a', 'boot'), (2, 'b', 'login');", pg.sql, 5)
    finally:
        wait_until(lambda: pg.value("SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'pipe_cr' AND "
                                    "active") == "0", timeout=30, what="the slot released")
        pg.sql("SELECT pg_drop_replication_slot('pipe_cr'); DROP PUBLICATION IF EXISTS pipe_cr;"
               "DROP TABLE cr_customers, cr_events")
    _check(records, "cr_customers", "cr_events")


def test_mysql_cdc_columns_and_key_columns():
    db = databases.mariadb()
    db.sql("DROP TABLE IF EXISTS mcr_customers, mcr_events;"
           "CREATE TABLE mcr_customers (id int PRIMARY KEY, name text, ssn text);"
           "CREATE TABLE mcr_events (ts int, host varchar(10), msg text);"
           "INSERT INTO mcr_customers VALUES (1, 'Ada', '123-45');")
    database = db.value("SELECT DATABASE()")
    source = f"""
    type: mysql_cdc
    dsn: {db.url}
    tables: [mcr_customers, mcr_events]
    snapshot: initial
    heartbeat_interval: 1s
    columns: {{include: ["{database}.mcr_customers.id", "{database}.mcr_customers.name", "*.mcr_events.ts"]}}
    key_columns: {{"*.mcr_events": "host, ts"}}"""
    try:
        records = _run_until(tmpdir(), source, "INSERT INTO mcr_customers VALUES (2, 'Grace', '678-90');"
                             "UPDATE mcr_customers SET name = 'Ada L.' WHERE id = 1;"
                             "INSERT INTO mcr_events VALUES (1, 'a', 'boot'), (2, 'b', 'login');", db.sql, 5)
    finally:
        db.sql("DROP TABLE mcr_customers, mcr_events")
    _check(records, "mcr_customers", "mcr_events")


def test_a_columns_option_with_both_lists_is_refused():
    d = tmpdir()
    write(f"{d}/p.yaml", """
sources:
  db: {type: postgres_cdc, dsn: "postgres://u@127.0.0.1:1/x", tables: [t], columns: {include: [a.b.c], exclude: [a.b.d]}}
sinks:
  out: {type: blackhole, inputs: [db]}
""")
    p = run_pipe(["validate", f"{d}/p.yaml"])
    assert p.returncode == 2 and "p.yaml:3:" in p.stderr and "give include or exclude, not both" in p.stderr, p.stderr
