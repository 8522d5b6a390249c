"""postgres_cdc cross-checked with wal2json (issue 20, item 5): the same transactions, over a table with a column of
each type, read through pipe's slot (pgoutput) and through a second slot by the wal2json plugin
(postgresql-15-wal2json); every change must agree in order, operation and every value. The two print values
differently (pipe: dates as days since the epoch, bytea as base64, ISO timestamps; wal2json: PostgreSQL's text), so
each side is brought to one Python value per type before comparing; nothing is compared by pipe's own code.

wal2json cannot show numeric NaN and ±Infinity (it prints null): there pipe must give the special value itself.
The table has REPLICA IDENTITY FULL, so updates and deletes carry whole before-images on both sides, and an update
that keeps the primary key is one update keyed by the primary key (not a delete and a create)."""
import base64
import datetime
import json
import signal
from decimal import Decimal

import databases
from harness import read_lines, start_pipe, tmpdir, wait_until, write

TABLE = """
CREATE TYPE w2j_mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN w2j_posint AS int CHECK (VALUE > 0);
CREATE TABLE w2j_types (id int PRIMARY KEY, s smallint, b bigint, n numeric(10,3), big numeric, nn numeric,
  r real, d double precision, flag bool, t text, v varchar(10), c char(3), raw bytea, day date, tod time,
  todtz timetz, ts timestamp, tstz timestamptz, span interval, u uuid, j json, jb jsonb, arr int[], tarr text[],
  m w2j_mood, p w2j_posint);
ALTER TABLE w2j_types REPLICA IDENTITY FULL;
"""

CHANGES = """
INSERT INTO w2j_types VALUES (1, -32768, 9223372036854775807, 1234567.125,
  123456789012345678901234567890.123456789, 'NaN', 1.5, 0.1, true, 'quote " and é', 'abc', 'ab', '\\x00ff10',
  '2024-02-29', '10:11:12.345678', '10:11:12+02', '2024-01-01 10:00:00.123456', '2024-01-01 10:00:00.123456+02',
  '1 year 2 mons 3 days 04:05:06.7', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{"a": [1, 2]}', '{"b": null, "a": 1}',
  '{1,2,NULL}', '{"x","y z"}', 'happy', 5);
INSERT INTO w2j_types (id) VALUES (2);
BEGIN;
INSERT INTO w2j_types VALUES (3, 1, -1, -0.001, 0, 'Infinity', -0.0, 1e300, false, '', 'ünïcødé', 'xyz', '\\x',
  '1970-01-01', '00:00:00', '23:59:59.999999-11:30', '1999-12-31 23:59:59.999999', '1970-01-01 00:00:00+00',
  '-3 days', '00000000-0000-0000-0000-000000000000', '[]', '{}', '{}', '{NULL}', 'sad', 2147483647);
UPDATE w2j_types SET nn = '-Infinity', d = 'NaN', t = NULL, day = '0001-01-01' WHERE id = 1;
COMMIT;
UPDATE w2j_types SET s = 2, jb = '{"nested": {"k": [true, null]}}' WHERE id = 3;
DELETE FROM w2j_types WHERE id = 2;
"""


def _days(text):
    return (datetime.date.fromisoformat(text) - datetime.date(1970, 1, 1)).days


def _time_point(text):
    return datetime.datetime.fromisoformat(text.replace(" ", "T"))


# Per PostgreSQL type (as wal2json names it): (wal2json's value -> canonical, pipe's value -> canonical).
_SAME = (lambda v: v, lambda v: v)
CANONICAL = {
    "numeric": (lambda v: Decimal(str(v)), lambda v: Decimal(str(v))),
    "real": (float, float),
    "double precision": (float, float),
    "bytea": (bytes.fromhex, base64.b64decode),
    "date": (_days, lambda v: v),
    "timestamp without time zone": (_time_point, _time_point),
    "timestamp with time zone": (_time_point, lambda v: _time_point(v.replace("Z", "+00:00"))),
    "json": (json.loads, json.loads),
    "jsonb": (json.loads, json.loads),
}
SPECIAL_NUMBERS = {"NaN", "Infinity", "-Infinity"}


def _compare_row(where, w2j_columns, pipe_row, allowances):
    """Every column of the wal2json row against pipe's; returns the mismatches."""
    wrong = []
    assert set(pipe_row) == {c["name"] for c in w2j_columns}, (where, sorted(pipe_row))
    for column in w2j_columns:
        name, kind, theirs, ours = column["name"], column["type"], column["value"], pipe_row[column["name"]]
        base = kind.split("(")[0]
        if theirs is None and ours in SPECIAL_NUMBERS and base in ("numeric", "double precision", "real"):
            allowances.append(f"{where}.{name}={ours}")  # wal2json prints these as null
            continue
        if theirs is None or ours is None:
            if theirs is not ours:
                wrong.append((where, name, kind, theirs, ours))
            continue
        to_theirs, to_ours = CANONICAL.get(base, _SAME)
        if to_theirs(theirs) != to_ours(ours):
            wrong.append((where, name, kind, theirs, ours))
    return wrong


def test_pipe_and_wal2json_read_the_same_changes():
    pg = databases.postgres()
    d = tmpdir()
    pg.sql("DROP TABLE IF EXISTS w2j_types; DROP DOMAIN IF EXISTS w2j_posint; DROP TYPE IF EXISTS w2j_mood;" + TABLE)
    write(f"{d}/p.yaml", f"""
sources:
  db: {{type: postgres_cdc, dsn: "{pg.url}", slot: pipe_w2j, tables: [w2j_types], topic_prefix: x}}
sinks:
  out: {{type: file, inputs: [db], path: {d}/out.jsonl, format: jsonl, flush_interval: 50ms, metadata: true}}
""")
    proc = start_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--no-watch"])
    try:
        wait_until(lambda: pg.value("SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'pipe_w2j' AND "
                                    "active") == "1", timeout=30, what="pipe's slot streaming")
        pg.sql("SELECT pg_create_logical_replication_slot('w2j_check', 'wal2json')")
        pg.sql(CHANGES)
        wait_until(lambda: len(read_lines(f"{d}/out.jsonl")) >= 6, timeout=30, what="6 changes from pipe")
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
        assert proc.returncode == 0, err
        rows = pg.sql("SET TimeZone = 'UTC'; SELECT data FROM pg_logical_slot_get_changes('w2j_check', NULL, NULL, "
                      "'format-version', '2', 'include-types', 'true')")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        pg.sql("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name IN "
               "('w2j_check', 'pipe_w2j') AND NOT active")
        pg.sql("DROP PUBLICATION IF EXISTS pipe_w2j; DROP TABLE IF EXISTS w2j_types; DROP DOMAIN w2j_posint; "
               "DROP TYPE w2j_mood")
    # Numbers as Decimal on both sides, so that no digit is lost before the comparison.
    theirs = [c for c in (json.loads(r[0], parse_float=Decimal) for r in rows) if c["action"] in ("I", "U", "D")]
    ours = [json.loads(line, parse_float=Decimal) for line in read_lines(f"{d}/out.jsonl")]
    op = {"I": "c", "U": "u", "D": "d"}
    assert [op[c["action"]] for c in theirs] == [r["value"]["op"] for r in ours], (theirs, ours)
    assert len(theirs) == 6
    wrong, allowances = [], []
    for i, (change, record) in enumerate(zip(theirs, ours)):
        key = {"id": next(c["value"] for c in change.get("columns", change.get("identity")) if c["name"] == "id")}
        assert record["key"] == key, (i, record["key"], key)
        if "columns" in change:
            wrong += _compare_row(f"change {i} after", change["columns"], record["value"]["after"], allowances)
        if change["action"] != "I":
            wrong += _compare_row(f"change {i} before", change["identity"], record["value"]["before"], allowances)
    assert not wrong, "\n".join(map(str, wrong))
    # The special values the changes write: nn of rows 1 and 3 in their inserts, -Infinity and d = NaN in row 1's
    # update (with NaN as its before-image), row 3's Infinity after and before its update.
    assert len(allowances) == 7, allowances
    print(f"    6 changes, {sum(len(c.get('columns', [])) + len(c.get('identity', [])) for c in theirs)} values "
          f"equal to wal2json's; {len(allowances)} NaN/Infinity values wal2json prints as null")
