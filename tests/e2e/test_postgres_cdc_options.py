"""postgres_cdc options of issue 20 item 1 against the real PostgreSQL 15 (tests/support/databases.py):
`snapshot: initial_only` (a finite source: the tables once, then exit 0, no slot left behind);
`create_publication: false` for a role without CREATE on the database; `tables` patterns; a slot of the derived
name used only with its checkpoint; `transaction_metadata: true`."""
import json
import os
import signal
import subprocess

import databases
from harness import read_lines, run_pipe, start_pipe, tmpdir, wait_until, write

READER = "cdc_opt_reader"  # a role with LOGIN and SELECT only: no REPLICATION, no CREATE on the database


def _reader_url(pg):
    return pg.url.replace(f"{pg.user}:{pg.password}@", f"{READER}:reader-pw@")


def _make_reader(pg, tables):
    pg.sql(f"DO $$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{READER}') THEN "
           f"CREATE ROLE {READER} LOGIN PASSWORD 'reader-pw'; END IF; END$$;"
           f"REVOKE CREATE ON DATABASE {pg.database} FROM PUBLIC; REVOKE CREATE ON SCHEMA public FROM PUBLIC;" +
           "".join(f"GRANT SELECT ON {t} TO {READER};" for t in tables))


def _records(path):
    return [json.loads(line) for line in read_lines(path)] if os.path.exists(path) else []


def _run_to_end(d, source_yaml, out, timeout=60):
    write(f"{d}/p.yaml", f"""
sources:
  db:{source_yaml}
sinks:
  out: {{type: file, inputs: [db], path: {out}, format: jsonl}}
""")
    return run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--no-watch"], timeout=timeout)


def test_initial_only_reads_the_tables_once_and_ends_without_a_slot():
    """Two tables (1,200 rows over chunks of 500, and 3 rows) read by a role without REPLICATION: the pipeline
    exits 0 with every row once as `op: r`; no slot and no publication exist afterwards; a second run reads the
    tables again (nothing is checkpointed), rows changed meanwhile included."""
    pg = databases.postgres()
    pg.sql("DROP TABLE IF EXISTS io_big, io_small; CREATE TABLE io_big (id int PRIMARY KEY, v text);"
           "INSERT INTO io_big SELECT g, 'v' || g FROM generate_series(1, 1200) g;"
           "CREATE TABLE io_small (k text PRIMARY KEY, n int); INSERT INTO io_small VALUES ('a', 1), ('b', 2), ('c', 3);")
    _make_reader(pg, ["io_big", "io_small"])
    slots_before = pg.value("SELECT count(*) FROM pg_replication_slots")
    d = tmpdir()
    source = f"""
    type: postgres_cdc
    dsn: {_reader_url(pg)}
    slot: pipe_io
    tables: [io_big, public.io_small]
    snapshot: initial_only
    batch_size: 500
    topic_prefix: shop"""
    try:
        first = _run_to_end(d, source, f"{d}/first.jsonl")
        assert first.returncode == 0, first.stderr
        assert "snapshot: initial_only" in first.stderr, first.stderr
        records = _records(f"{d}/first.jsonl")
        big = sorted(r["after"]["id"] for r in records if r["source"]["table"] == "io_big")
        assert big == list(range(1, 1201)), f"{len(big)} rows of io_big"
        small = sorted((r["after"]["k"], r["after"]["n"]) for r in records if r["source"]["table"] == "io_small")
        assert small == [("a", 1), ("b", 2), ("c", 3)], small
        assert {r["op"] for r in records} == {"r"} and len(records) == 1203
        assert pg.value("SELECT count(*) FROM pg_replication_slots") == slots_before
        assert pg.value("SELECT count(*) FROM pg_publication WHERE pubname = 'pipe_io'") == "0"
        assert not os.path.exists(f"{d}/state/checkpoints/db.json")
        pg.sql("UPDATE io_small SET n = 20 WHERE k = 'b'; DELETE FROM io_big WHERE id > 1000;")
        second = _run_to_end(d, source, f"{d}/second.jsonl")
        assert second.returncode == 0, second.stderr
        again = _records(f"{d}/second.jsonl")
        assert len(again) == 1003, len(again)
        assert ("b", 20) in [(r["after"].get("k"), r["after"].get("n")) for r in again]
    finally:
        pg.sql("DROP TABLE IF EXISTS io_big, io_small;")
    print(f"    1,203 snapshot rows read by a role without REPLICATION, exit 0, no slot; a second run: 1,003 rows")


REPLICATOR = "cdc_opt_repl"  # LOGIN REPLICATION and SELECT: may create slots, not publications (no CREATE)


def _make_replicator(pg, tables):
    pg.sql(f"DO $$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{REPLICATOR}') THEN "
           f"CREATE ROLE {REPLICATOR} LOGIN REPLICATION PASSWORD 'repl-pw'; END IF; END$$;"
           f"REVOKE CREATE ON DATABASE {pg.database} FROM PUBLIC, {REPLICATOR};" +
           "".join(f"GRANT SELECT ON {t} TO {REPLICATOR};" for t in tables))
    return pg.url.replace(f"{pg.user}:{pg.password}@", f"{REPLICATOR}:repl-pw@")


def _drop_slot(pg, slot):
    wait_until(lambda: pg.value(f"SELECT count(*) FROM pg_replication_slots WHERE slot_name = '{slot}' AND active")
               == "0", timeout=30, what=f"slot {slot} released")
    pg.sql(f"SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '{slot}'")


def _error_line(p, text):
    """The one stderr line that holds `text`."""
    assert p.returncode != 0, p.stderr
    lines = [line for line in p.stderr.splitlines() if text in line]
    assert lines, p.stderr
    return lines[-1]


def _stream(d, source_yaml, apply, count):
    """Runs until `count` records arrived after `apply` ran on a streaming source; returns them."""
    write(f"{d}/p.yaml", f"""
sources:
  db:{source_yaml}
sinks:
  out: {{type: file, inputs: [db], path: {d}/out.jsonl, format: jsonl, flush_interval: 50ms, metadata: true}}
""")
    proc = start_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--no-watch"])
    try:
        wait_until(lambda: os.path.exists(f"{d}/state/checkpoints/db.json") or _records(f"{d}/out.jsonl"),
                   timeout=30, what="the source streaming")
        apply()
        wait_until(lambda: len(_records(f"{d}/out.jsonl")) >= count, timeout=30, what=f"{count} records")
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    return _records(f"{d}/out.jsonl")


def test_create_publication_false_says_what_to_run_and_never_alters_the_publication():
    """A role with REPLICATION but without CREATE on the database: with create_publication: false a missing
    publication, then one that lacks a table, are each one line with the statement to run; once an administrator
    ran them, changes of both tables stream and the publication is as the administrator left it. With the default
    (true) the same role gets one line that says why pipe cannot create it and what to run instead."""
    pg = databases.postgres()
    pg.sql("DROP PUBLICATION IF EXISTS pipe_po, pipe_po2; DROP TABLE IF EXISTS po_a, po_b;"
           "CREATE TABLE po_a (id int PRIMARY KEY); CREATE TABLE po_b (id int PRIMARY KEY);")
    url = _make_replicator(pg, ["po_a", "po_b"])
    d = tmpdir()
    source = f"""
    type: postgres_cdc
    dsn: {url}
    slot: pipe_po
    tables: [po_a, public.po_b]
    create_publication: false
    topic_prefix: shop"""
    try:
        missing = _run_to_end(d, source, f"{d}/x.jsonl")
        line = _error_line(missing, "CREATE PUBLICATION")
        assert "publication 'pipe_po' does not exist" in line and "create_publication is false" in line, line
        assert "`CREATE PUBLICATION pipe_po FOR TABLE public.po_a, public.po_b`" in line, line
        pg.sql("CREATE PUBLICATION pipe_po FOR TABLE po_a")
        partial = _run_to_end(d, source, f"{d}/x.jsonl")
        line = _error_line(partial, "ALTER PUBLICATION")
        assert "does not cover public.po_b" in line and "`ALTER PUBLICATION pipe_po ADD TABLE public.po_b`" in line
        pg.sql("ALTER PUBLICATION pipe_po ADD TABLE po_b")
        records = _stream(d, source, lambda: pg.sql("INSERT INTO po_a VALUES (1); INSERT INTO po_b VALUES (2);"), 2)
        assert [(r["topic"], r["value"]["after"]["id"]) for r in records] == [("shop.public.po_a", 1),
                                                                              ("shop.public.po_b", 2)], records
        assert pg.value("SELECT count(*) FROM pg_publication_tables WHERE pubname = 'pipe_po'") == "2"
        creating = _run_to_end(d, source.replace("create_publication: false", "publication: pipe_po2"),
                               f"{d}/y.jsonl")
        line = _error_line(creating, "pipe_po2")
        assert "permission denied" in line and "`CREATE PUBLICATION pipe_po2 FOR TABLE" in line, line
    finally:
        _drop_slot(pg, "pipe_po")
        pg.sql("DROP PUBLICATION IF EXISTS pipe_po, pipe_po2; DROP TABLE IF EXISTS po_a, po_b;")
    print("    " + line[:200])


def test_table_patterns_select_tables_per_part_and_the_publication_is_made_for_them():
    """`pt_sales.*` and `public.pt_cust*` against five tables: the publication holds the four they match, the
    snapshot reads those four and not public.pt_other, nor pt_sales_x.t (the schema pattern does not reach it);
    a pattern that matches nothing is one line naming it."""
    pg = databases.postgres()
    pg.sql("DROP PUBLICATION IF EXISTS pipe_pt; DROP SCHEMA IF EXISTS pt_sales, pt_sales_x CASCADE;"
           "DROP TABLE IF EXISTS pt_cust1, pt_cust2, pt_other;"
           "CREATE SCHEMA pt_sales; CREATE SCHEMA pt_sales_x;"
           "CREATE TABLE pt_sales.orders (id int PRIMARY KEY); CREATE TABLE pt_sales.customers (id int PRIMARY KEY);"
           "CREATE TABLE pt_sales_x.t (id int PRIMARY KEY);"
           "CREATE TABLE pt_cust1 (id int PRIMARY KEY); CREATE TABLE pt_cust2 (id int PRIMARY KEY);"
           "CREATE TABLE pt_other (id int PRIMARY KEY);"
           "INSERT INTO pt_sales.orders VALUES (1); INSERT INTO pt_sales.customers VALUES (2);"
           "INSERT INTO pt_sales_x.t VALUES (3); INSERT INTO pt_cust1 VALUES (4); INSERT INTO pt_cust2 VALUES (5);"
           "INSERT INTO pt_other VALUES (6);")
    d = tmpdir()
    source = f"""
    type: postgres_cdc
    dsn: {pg.url}
    slot: pipe_pt
    tables: ["pt_sales.*", "public.pt_cust*"]
    snapshot: initial
    topic_prefix: shop"""
    try:
        records = _stream(d, source, lambda: pg.sql("INSERT INTO pt_other VALUES (60); INSERT INTO pt_cust2 "
                                                    "VALUES (50); INSERT INTO pt_sales_x.t VALUES (30);"), 5)
        published = sorted(r[0] for r in pg.sql("SELECT schemaname || '.' || tablename FROM pg_publication_tables "
                                                "WHERE pubname = 'pipe_pt'"))
        assert published == ["pt_sales.customers", "pt_sales.orders", "public.pt_cust1", "public.pt_cust2"]
        seen = sorted((r["value"]["op"], r["topic"], r["value"]["after"]["id"]) for r in records)
        assert seen == [("c", "shop.public.pt_cust2", 50), ("r", "shop.pt_sales.customers", 2),
                        ("r", "shop.pt_sales.orders", 1), ("r", "shop.public.pt_cust1", 4),
                        ("r", "shop.public.pt_cust2", 5)], seen
        nothing = _run_to_end(d, source.replace('"public.pt_cust*"', '"public.pt_custmer*"'), f"{d}/x.jsonl")
        line = _error_line(nothing, "matches no table")
        assert "'public.pt_custmer*' matches no table" in line, line
    finally:
        _drop_slot(pg, "pipe_pt")
        pg.sql("DROP PUBLICATION IF EXISTS pipe_pt; DROP SCHEMA IF EXISTS pt_sales, pt_sales_x CASCADE;"
               "DROP TABLE IF EXISTS pt_cust1, pt_cust2, pt_other;")
    print("    " + line[:200])


def test_a_publication_for_all_tables_is_filtered_by_the_patterns_and_picks_up_new_tables():
    """create_publication: false over an administrator's FOR ALL TABLES publication: only the tables the
    pattern selects arrive, and a matching table created while pipe runs is captured at once."""
    pg = databases.postgres()
    pg.sql("DROP PUBLICATION IF EXISTS pipe_all; DROP TABLE IF EXISTS pa_cust1, pa_cust2, pa_other;"
           "CREATE TABLE pa_cust1 (id int PRIMARY KEY); CREATE TABLE pa_other (id int PRIMARY KEY);"
           "CREATE PUBLICATION pipe_all FOR ALL TABLES;")
    d = tmpdir()
    source = f"""
    type: postgres_cdc
    dsn: {pg.url}
    slot: pipe_all
    publication: pipe_all
    tables: [pa_cust*]
    create_publication: false
    topic_prefix: shop"""
    try:
        records = _stream(d, source, lambda: pg.sql(
            "INSERT INTO pa_other VALUES (1); INSERT INTO pa_cust1 VALUES (2);"
            "CREATE TABLE pa_cust2 (id int PRIMARY KEY); INSERT INTO pa_cust2 VALUES (3);"
            "TRUNCATE pa_other, pa_cust1; INSERT INTO pa_other VALUES (4); INSERT INTO pa_cust2 VALUES (5);"), 4)
        seen = [(r["value"]["op"], r["topic"], (r["value"]["after"] or {}).get("id")) for r in records]
        assert seen == [("c", "shop.public.pa_cust1", 2), ("c", "shop.public.pa_cust2", 3),
                        ("t", "shop.public.pa_cust1", None), ("c", "shop.public.pa_cust2", 5)], seen
    finally:
        _drop_slot(pg, "pipe_all")
        pg.sql("DROP PUBLICATION IF EXISTS pipe_all; DROP TABLE IF EXISTS pa_cust1, pa_cust2, pa_other;")


def test_a_slot_of_the_derived_name_is_reused_only_with_its_checkpoint_or_when_named():
    """Without `slot:` the source derives its slot's name and claims the slot with a checkpoint as it creates it:
    a restart reuses it. Once the checkpoint is gone (a reset state dir) the slot is refused with one line that says
    it exists, whose it may be (here: held by pg_recvlogical) and how to proceed; with `slot:` naming it, it is used,
    and the changes it kept arrive."""
    pg = databases.postgres()
    pg.sql("DROP TABLE IF EXISTS ds_t; CREATE TABLE ds_t (id int PRIMARY KEY);")
    d = tmpdir()
    source = f"""
    type: postgres_cdc
    dsn: {pg.url}
    publication: pipe_ds
    tables: [ds_t]"""
    holder = None
    slot = None
    try:
        derived = "SELECT slot_name FROM pg_replication_slots WHERE slot_name LIKE 'pipe_db_%'"
        before = {r[0] for r in pg.sql(derived)}
        first = _stream(d, source, lambda: pg.sql("INSERT INTO ds_t VALUES (1);"), 1)
        created = {r[0] for r in pg.sql(derived)} - before
        assert len(created) == 1 and len(first) == 1, (created, first)
        slot = created.pop()
        again = _stream(d, source, lambda: pg.sql("INSERT INTO ds_t VALUES (2);"), 2)
        assert [r["value"]["after"]["id"] for r in again] == [1, 2], again  # the same slot, resumed
        os.remove(f"{d}/state/checkpoints/db.json")
        pg.sql("INSERT INTO ds_t VALUES (3);")  # kept by the slot
        refused = _run_to_end(d, source, f"{d}/x.jsonl")
        line = _error_line(refused, "has no checkpoint naming it")
        assert f"replication slot '{slot}' exists" in line and "no one streams from it now" in line, line
        assert f"Set slot: {slot}" in line and f"pg_drop_replication_slot('{slot}')" in line, line
        holder = subprocess.Popen(["pg_recvlogical", "-d", pg.url, "--slot", slot, "--start", "-f", "/dev/null",
                                   "-o", "proto_version=1", "-o", "publication_names=pipe_ds"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(lambda: pg.value(f"SELECT count(*) FROM pg_replication_slots WHERE slot_name = '{slot}' AND "
                                    "active") == "1", timeout=30, what="pg_recvlogical holding the slot")
        held = _run_to_end(d, source, f"{d}/x.jsonl")
        line = _error_line(held, "has no checkpoint naming it")
        assert "it is in use by process" in line and "application 'pg_recvlogical'" in line, line
        holder.terminate()
        holder.wait()
        holder = None
        named = _stream(d, source + f"\n    slot: {slot}", lambda: pg.sql("INSERT INTO ds_t VALUES (4);"), 4)
        assert [r["value"]["after"]["id"] for r in named][2:] == [3, 4], named
    finally:
        if holder:
            holder.kill()
            holder.wait()
        if slot:
            _drop_slot(pg, slot)
        pg.sql("DROP PUBLICATION IF EXISTS pipe_ds; DROP TABLE IF EXISTS ds_t;")
    print("    " + line[:220])


def test_transaction_metadata_marks_each_transaction_with_begin_and_end_and_numbers_its_changes():
    """transaction_metadata: true, as Debezium's provide.transaction.metadata: a transaction of three changes on two
    tables and one of a single change get BEGIN/END records on shop.transaction (END with the counts per table),
    each change a `transaction` block with its order overall and in its table; a transaction of an uncaptured
    table gets no markers."""
    pg = databases.postgres()
    pg.sql("DROP TABLE IF EXISTS tm_a, tm_b, tm_other; CREATE TABLE tm_a (id int PRIMARY KEY);"
           "CREATE TABLE tm_b (id int PRIMARY KEY); CREATE TABLE tm_other (id int PRIMARY KEY);")
    d = tmpdir()
    source = f"""
    type: postgres_cdc
    dsn: {pg.url}
    slot: pipe_tm
    tables: [tm_a, tm_b]
    transaction_metadata: true
    topic_prefix: shop"""
    try:
        records = _stream(d, source, lambda: pg.sql(
            "BEGIN; INSERT INTO tm_a VALUES (1); INSERT INTO tm_b VALUES (2); INSERT INTO tm_a VALUES (3); COMMIT;"
            "INSERT INTO tm_other VALUES (9); INSERT INTO tm_b VALUES (4);"), 7)
    finally:
        _drop_slot(pg, "pipe_tm")
        pg.sql("DROP PUBLICATION IF EXISTS pipe_tm; DROP TABLE IF EXISTS tm_a, tm_b, tm_other;")
    assert [r["topic"] for r in records] == ["shop.transaction", "shop.public.tm_a", "shop.public.tm_b",
                                             "shop.public.tm_a", "shop.transaction", "shop.transaction",
                                             "shop.public.tm_b", "shop.transaction"], records
    begin, a1, b2, a3, end = records[:5]
    change = a1["value"]
    txn_id = f'{change["source"]["txId"]}:{change["source"]["lsn"]}'
    assert begin["key"] == {"id": txn_id}
    assert begin["value"]["status"] == "BEGIN" and begin["value"]["id"] == txn_id
    assert begin["value"]["event_count"] is None and begin["value"]["data_collections"] is None
    assert [(r["value"]["transaction"]["total_order"], r["value"]["transaction"]["data_collection_order"])
            for r in (a1, b2, a3)] == [(1, 1), (2, 1), (3, 2)]
    assert all(r["value"]["transaction"]["id"] == txn_id for r in (a1, b2, a3))
    assert end["value"]["status"] == "END" and end["value"]["event_count"] == 3
    assert end["value"]["data_collections"] == [{"data_collection": "public.tm_a", "event_count": 2},
                                                {"data_collection": "public.tm_b", "event_count": 1}]
    assert end["value"]["ts_ms"] == change["source"]["ts_ms"]
    assert records[7]["value"]["event_count"] == 1 and records[5]["value"]["id"] != txn_id
    print(f"    BEGIN {txn_id}, 3 changes numbered, END {end['value']['data_collections']}")


def test_tombstones_on_delete_follow_each_delete_event_with_its_key_and_a_null_value():
    """tombstones_on_delete: true, as Debezium's tombstones.on.delete: a delete's debezium event is followed by a
    record with the same topic and key and a null value (so a compacted topic forgets the key); inserts and
    updates get none. Without the option a delete is one record."""
    pg = databases.postgres()
    pg.sql("DROP TABLE IF EXISTS tb_a; CREATE TABLE tb_a (id int PRIMARY KEY, v int);")
    d = tmpdir()
    source = f"""
    type: postgres_cdc
    dsn: {pg.url}
    slot: pipe_tb
    tables: [tb_a]
    tombstones_on_delete: true
    topic_prefix: shop"""
    try:
        records = _stream(d, source, lambda: pg.sql(
            "INSERT INTO tb_a VALUES (1, 1), (2, 2); UPDATE tb_a SET v = 3 WHERE id = 1; DELETE FROM tb_a WHERE id = 2;"
            "INSERT INTO tb_a VALUES (3, 3);"), 6)
    finally:
        _drop_slot(pg, "pipe_tb")
        pg.sql("DROP PUBLICATION IF EXISTS pipe_tb; DROP TABLE IF EXISTS tb_a;")
    ops = [r["value"]["op"] if r["value"] is not None else None for r in records]
    assert ops == ["c", "c", "u", "d", None, "c"], records
    delete, tombstone = records[3], records[4]
    assert tombstone["key"] == delete["key"] == {"id": 2} and tombstone["topic"] == delete["topic"] == "shop.public.tb_a"
    print(f"    c c u d, then the tombstone of key {tombstone['key']}, then c")
