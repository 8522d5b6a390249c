"""Whole records where people look (issue 25, item 1): stdout shows a SQL table's key columns and window bounds
beside its value columns, as ksqlDB's CLI does; `metadata: true` on stdout and file sinks writes whole records with
the dead-letter envelope's field names; the file sink's default output stays the value alone."""
import json
import subprocess
import time

from harness import ROOT, read_lines, start_pipe, run_pipe, tmpdir, write

ATTEMPTS = [{"card_number": 4, "ts": 1000}, {"card_number": 4, "ts": 2000}, {"card_number": 5, "ts": 2500},
            {"card_number": 4, "ts": 7000}, {"card_number": 4, "ts": 8000}]


def _fraud(d, sinks):
    write(f"{d}/in.jsonl", "".join(json.dumps(a) + "\n" for a in ATTEMPTS))
    return write(f"{d}/p.yaml", f"""
sources:
  attempts: {{type: file, path: {d}/in.jsonl, format: json}}
transforms:
  q:
    type: sql
    inputs: [attempts]
    sql: |
      CREATE STREAM attempts (card_number BIGINT, ts BIGINT)
        WITH (KAFKA_TOPIC='attempts', VALUE_FORMAT='JSON', TIMESTAMP='ts');
      CREATE TABLE possible_fraud AS SELECT card_number, count(*) AS attempts FROM attempts
        WINDOW TUMBLING (SIZE 5 SECONDS) GROUP BY card_number HAVING count(*) > 1 EMIT CHANGES;
sinks:
{sinks}
""")


def _run(pipeline, d):
    p = run_pipe(["run", pipeline, "--state-dir", f"{d}/state"], timeout=60)
    assert p.returncode == 0, p.stderr
    return p


def test_stdout_shows_a_tables_key_and_window_beside_its_values():
    d = tmpdir()
    p = _run(_fraud(d, "  out: {type: stdout, inputs: [possible_fraud]}"), d)
    assert p.stdout.splitlines() == [
        '{"CARD_NUMBER":4,"WINDOWSTART":0,"WINDOWEND":5000,"ATTEMPTS":2}',
        '{"CARD_NUMBER":4,"WINDOWSTART":5000,"WINDOWEND":10000,"ATTEMPTS":2}',
    ], p.stdout


def test_stdout_csv_and_pretty_show_the_same_columns():
    d = tmpdir()
    p = _run(_fraud(d, "  out: {type: stdout, inputs: [possible_fraud], format: csv}"), d)
    assert p.stdout.splitlines() == ["CARD_NUMBER,WINDOWSTART,WINDOWEND,ATTEMPTS", "4,0,5000,2", "4,5000,10000,2"]


def test_metadata_true_writes_whole_records_on_stdout_and_to_files():
    d = tmpdir()
    p = _run(_fraud(d, f"""  out: {{type: stdout, inputs: [possible_fraud], metadata: true}}
  archive:
    type: file
    inputs: [possible_fraud]
    path: {d}/whole.jsonl
    metadata: true
    transforms: [{{type: InsertHeader, header: origin, value.literal: fraud-check}}]
  values: {{type: file, inputs: [possible_fraud], path: {d}/values.jsonl}}"""), d)
    first = {"key": 4, "value": {"ATTEMPTS": 2}, "headers": [], "topic": "possible_fraud", "partition": -1,
             "timestamp": 2000, "window": {"start": 0, "end": 5000}}
    second = dict(first, timestamp=8000, window={"start": 5000, "end": 10000})

    # Each row carries the position of the attempt that made its count 2: the second and the fifth line.
    line_offsets = [sum(len(json.dumps(a)) + 1 for a in ATTEMPTS[:i]) for i in range(len(ATTEMPTS))]

    def whole(lines):
        records = [json.loads(l) for l in lines]
        offsets = [int(r.pop("position").rsplit("@", 1)[1]) for r in records]
        assert offsets == [line_offsets[1], line_offsets[4]], lines
        return records
    assert whole(p.stdout.splitlines()) == [first, second], p.stdout
    assert whole(read_lines(f"{d}/whole.jsonl")) == [
        dict(r, headers=[{"key": "origin", "value": "fraud-check"}]) for r in (first, second)]
    assert read_lines(f"{d}/values.jsonl") == ['{"ATTEMPTS":2}', '{"ATTEMPTS":2}']  # unchanged by default


def test_metadata_needs_a_json_format():
    d = tmpdir()
    p = run_pipe(["validate", _fraud(d, "  out: {type: stdout, inputs: [possible_fraud], metadata: true, "
                                        "format: csv}")])
    assert p.returncode == 2 and "metadata: whole records are JSON: use format json or pretty" in p.stderr, p


def test_the_possible_fraud_example_shows_the_card_number_and_the_window():
    proc = start_pipe(["run", f"{ROOT}/pipelines/sql-possible-fraud.yaml", "--state-dir", f"{tmpdir()}/state",
                       "--set", "sources.authorization_attempts.rate=200"])
    try:
        line = proc.stdout.readline()
    finally:
        proc.terminate()
        proc.communicate(timeout=30)
    row = json.loads(line)
    assert list(row) == ["CARD_NUMBER", "WINDOWSTART", "WINDOWEND", "KSQL_COL_0"], line
    assert 1 <= row["CARD_NUMBER"] <= 8 and row["WINDOWEND"] - row["WINDOWSTART"] == 5000 and row["KSQL_COL_0"] > 3
