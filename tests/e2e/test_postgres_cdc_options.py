"""postgres_cdc options of issue 20 item 1 against the real PostgreSQL 15 (tests/support/databases.py):
`snapshot: initial_only` (a finite source: the tables once, then exit 0, no slot left behind)."""
import json
import os

import databases
from harness import read_lines, run_pipe, tmpdir, write

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
