"""The postgres query source against the real PostgreSQL 15 of tests/support/databases.py: incrementing mode
resumes after the last acknowledged row across restarts (each row once), timestamp+incrementing sees updated rows
again, and bulk with once: true reads the table once with its values' precision and ends."""
import glob
import json
import signal

import databases
from harness import read_lines, run_pipe, start_pipe, tmpdir, wait_until, write


def _lines(d):
    out = []
    for path in sorted(glob.glob(f"{d}/out*.jsonl")):
        for line in read_lines(path):
            try:
                out.append(json.loads(line))
            except ValueError:
                pass
    return out


def _pipeline(d, pg, source_options):
    options = "".join(f"\n    {line}" for line in source_options.strip().split("\n"))
    return write(f"{d}/p.yaml", f"""
sources:
  db:
    type: postgres
    dsn: "{pg.url}"{options}
sinks:
  out: {{type: file, inputs: [db], path: "{d}/out-{{n}}.jsonl", format: jsonl, flush_interval: 50ms}}
""")


def _start(d):
    return start_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--no-watch"])


def _stop(proc):
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, f"pipe exited {proc.returncode}:\n{err}"


def test_incrementing_mode_resumes_after_the_last_acknowledged_row():
    pg = databases.postgres()
    pg.sql("DROP TABLE IF EXISTS q_events; CREATE TABLE q_events (id bigserial PRIMARY KEY, n int, note text);"
           "INSERT INTO q_events (n, note) SELECT g, 'a' FROM generate_series(0, 499) g;")
    d = tmpdir()
    _pipeline(d, pg, "table: q_events\nmode: incrementing\nincrementing_column: id\npoll_interval: 50ms\n"
                     "batch_size: 128")
    proc = _start(d)
    try:
        wait_until(lambda: len(_lines(d)) >= 500, timeout=30, what="500 rows")
        pg.sql("INSERT INTO q_events (n, note) SELECT g, 'b' FROM generate_series(500, 799) g;")
        wait_until(lambda: len(_lines(d)) >= 800, timeout=30, what="800 rows")
        _stop(proc)
        pg.sql("INSERT INTO q_events (n, note) SELECT g, 'c' FROM generate_series(800, 999) g;")  # while pipe is down
        proc = _start(d)
        wait_until(lambda: len(_lines(d)) >= 1000, timeout=30, what="1000 rows")
        _stop(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    rows = _lines(d)
    assert sorted(r["n"] for r in rows) == list(range(1000)), f"{len(rows)} rows"
    assert rows[0] == {"id": 1, "n": 0, "note": "a"}, rows[0]


def test_timestamp_and_incrementing_mode_sees_updated_rows_again():
    pg = databases.postgres()
    pg.sql("DROP TABLE IF EXISTS q_items; CREATE TABLE q_items (id int PRIMARY KEY, name text, "
           "updated_at timestamptz NOT NULL);"
           "INSERT INTO q_items VALUES (1, 'a', '2024-01-01 00:00:00.000001+00'), "
           "(2, 'b', '2024-01-01 00:00:00.000001+00'), (3, 'c', '2024-01-02 00:00:00+00');")
    d = tmpdir()
    _pipeline(d, pg, "table: q_items\nmode: timestamp+incrementing\ntimestamp_column: updated_at\n"
                     "incrementing_column: id\npoll_interval: 50ms\nbatch_size: 1")
    proc = _start(d)
    try:
        wait_until(lambda: len(_lines(d)) >= 3, timeout=30, what="3 rows")
        pg.sql("UPDATE q_items SET name = 'b2', updated_at = now() WHERE id = 2;")
        wait_until(lambda: len(_lines(d)) >= 4, timeout=30, what="the updated row")
        _stop(proc)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    rows = _lines(d)
    assert [(r["id"], r["name"]) for r in rows] == [(1, "a"), (2, "b"), (3, "c"), (2, "b2")], rows
    assert rows[0]["updated_at"] == "2024-01-01T00:00:00.000001Z", rows[0]


def test_bulk_once_reads_the_query_once_with_exact_values_and_ends():
    pg = databases.postgres()
    pg.sql("DROP TABLE IF EXISTS q_types; CREATE TABLE q_types (id int, big numeric, ts timestamptz, u uuid, "
           "j jsonb, f double precision);"
           "INSERT INTO q_types VALUES (1, 123456789012345678901234567890123456789012.5, "
           "'2024-02-29 13:14:15.123456+02', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '{\"a\": [1, 2]}', 'NaN'),"
           "(2, 12.50, NULL, NULL, NULL, 0.1);")
    d = tmpdir()
    _pipeline(d, pg, "query: SELECT * FROM q_types ORDER BY id\nonce: true")
    p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--no-watch"], timeout=60)
    assert p.returncode == 0, p.stderr
    raw = [line for path in sorted(glob.glob(f"{d}/out*.jsonl")) for line in read_lines(path)]
    assert raw == [
        '{"id":1,"big":"123456789012345678901234567890123456789012.5","ts":"2024-02-29T11:14:15.123456Z",'
        '"u":"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11","j":"{\\"a\\": [1, 2]}","f":"NaN"}',
        '{"id":2,"big":12.50,"ts":null,"u":null,"j":null,"f":0.1}'], raw
