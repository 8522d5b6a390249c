"""Changing SQL (issue 25, item 7): when a `sql` stage's statements changed since its state was saved, it does what
`on_state_change` says. `rebuild` (the default) reads its inputs again from their beginning into the new state and
emits only what records past the previous statements' saved positions make, so sinks get no repeats; where that
cannot be done (a source that cannot be read again, one that also feeds a sink) the run fails saying what to do.
`empty` starts from empty state; `fail` stops. A hot reload follows the same rule; so does a Kafka source."""
import glob
import json
import os
import re
import signal

from harness import read_lines, run_pipe, start_pipe, tmpdir, wait_until, write
from kafka import MockKafka, produce

SQL = """
CREATE STREAM clicks (id BIGINT, page VARCHAR, n INT) WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON');
CREATE TABLE per_page AS SELECT page, AS_VALUE(page) AS p, COUNT(*) AS c, SUM(n) AS s FROM clicks GROUP BY page;
"""
CHANGED_SQL = SQL.replace("SUM(n) AS s", "SUM(n * 1) AS s")


def _clicks(first, count):
    return [json.dumps({"id": i, "page": f"/p{i % 50}", "n": i % 7}) for i in range(first, first + count)]


def _append_clicks(path, first, count):
    with open(path, "a") as fh:
        fh.writelines(line + "\n" for line in _clicks(first, count))


def _expected(count):
    want = {}
    for i in range(count):
        c, s = want.get(f"/p{i % 50}", (0, 0))
        want[f"/p{i % 50}"] = (c + 1, s + i % 7)
    return want


def _pipeline(d, sql, source=None, on_state_change=None, extra_sinks="", mode="read"):
    source = source or f"{{type: file, path: {d}/in.jsonl, mode: {mode}, format: json, batch_size: 7}}"
    policy = f"\n    on_state_change: {on_state_change}" if on_state_change else ""
    body = "\n".join("      " + line for line in sql.strip().splitlines())
    return write(f"{d}/p.yaml", f"""
sources:
  clicks: {source}
transforms:
  q:
    type: sql
    inputs: [clicks]{policy}
    properties: {{ksql.streams.commit.interval.ms: '100'}}
    sql: |
{body}
sinks:
  out: {{type: file, inputs: [per_page], path: "{d}/out/part-{{n}}.jsonl", format: jsonl, max_records: 100000, flush_interval: 50ms}}{extra_sinks}
""")


def _outputs(d, since_part=0):
    """Every output record of the parts numbered since_part or later, in the order written."""
    parts = sorted(glob.glob(f"{d}/out/part-*.jsonl"), key=lambda p: int(re.search(r"part-(\d+)", p).group(1)))
    return [json.loads(line) for p in parts if int(re.search(r"part-(\d+)", p).group(1)) >= since_part
            for line in read_lines(p)]


def _parts(d):
    return len(glob.glob(f"{d}/out/part-*.jsonl"))


def _run(d, *extra):
    p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", *extra])
    assert p.returncode == 0, f"exit {p.returncode}: {p.stderr}"
    return p


def _first_run(d, **pipeline):
    write(f"{d}/in.jsonl", "")
    _append_clicks(f"{d}/in.jsonl", 0, 100)
    _pipeline(d, SQL, **pipeline)
    _run(d)
    assert {r["P"]: (r["C"], r["S"]) for r in _outputs(d)} == _expected(100)


def test_changed_statements_rebuild_the_state_from_the_beginning_without_repeating_output():
    d = tmpdir()
    _first_run(d)
    _append_clicks(f"{d}/in.jsonl", 100, 50)
    _pipeline(d, CHANGED_SQL)
    before = _parts(d)
    second = _run(d)
    assert "rebuilding it from the beginning of the inputs" in second.stderr, second.stderr
    assert "source clicks: reading from its beginning again for transform q" in second.stderr, second.stderr
    # Only the 50 new records make output, each with the aggregate over all 150: the first 100 only built the state
    # (in batches of 7, so quiet and loud records share batches).
    out = _outputs(d, since_part=before)
    assert len(out) == 50 and all(r["C"] == 3 for r in out), out[:5]
    assert {r["P"]: (r["C"], r["S"]) for r in out} == _expected(150)
    # The rebuilt state was saved with the new statements: the next run restores it and counts on.
    _append_clicks(f"{d}/in.jsonl", 150, 50)
    third = _run(d)
    assert "state restored" in third.stderr and "rebuilding" not in third.stderr, third.stderr
    assert {r["P"]: (r["C"], r["S"]) for r in _outputs(d)} == _expected(200)


def test_on_state_change_empty_starts_from_empty_state():
    d = tmpdir()
    _first_run(d)
    _append_clicks(f"{d}/in.jsonl", 100, 50)
    _pipeline(d, CHANGED_SQL, on_state_change="empty")
    before = _parts(d)
    p = _run(d)
    assert "statements changed" in p.stderr and "starting from empty state" in p.stderr, p.stderr
    # Only the 50 new records count (one per page): the state of the old statements is not mixed in.
    assert {r["P"]: (r["C"], r["S"]) for r in _outputs(d, before)} == {f"/p{i % 50}": (1, i % 7)
                                                                        for i in range(100, 150)}


def test_on_state_change_fail_stops_and_says_what_to_do():
    d = tmpdir()
    _first_run(d, on_state_change="fail")
    _pipeline(d, CHANGED_SQL, on_state_change="fail")
    p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state"])
    assert p.returncode == 1, p
    assert "the statements changed since the state in" in p.stderr and "on_state_change: fail" in p.stderr, p.stderr
    assert "Set on_state_change: rebuild" in p.stderr, p.stderr


def test_rebuild_is_refused_when_a_sink_would_get_the_source_again():
    d = tmpdir()
    raw = f"\n  raw: {{type: file, inputs: [clicks], path: {d}/raw.jsonl, format: jsonl}}"
    _first_run(d, extra_sinks=raw)
    _pipeline(d, CHANGED_SQL, extra_sinks=raw)
    p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state"])
    assert p.returncode == 1, p
    assert "source 'clicks' also feeds sink raw, which would receive its records again" in p.stderr, p.stderr
    assert "Set on_state_change: empty" in p.stderr and "pipe reset" in p.stderr, p.stderr
    assert len(read_lines(f"{d}/raw.jsonl")) == 100, "the raw sink got records again"


def test_rebuild_is_refused_for_a_source_that_cannot_be_read_again():
    d = tmpdir()
    data = "".join(line + "\n" for line in _clicks(0, 20))
    _pipeline(d, SQL, source="{type: stdin, format: json}")
    assert run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state"], input=data).returncode == 0
    _pipeline(d, CHANGED_SQL, source="{type: stdin, format: json}")
    p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state"], input=data)
    assert p.returncode == 1, p
    assert "source 'clicks' (type stdin) cannot be read again from its beginning" in p.stderr, p.stderr


def test_a_hot_reload_with_changed_statements_rebuilds_the_state():
    d = tmpdir()
    write(f"{d}/in.jsonl", "")
    _pipeline(d, SQL, mode="follow")
    log = open(f"{d}/log", "w")
    proc = start_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state"], stderr=log)
    try:
        _append_clicks(f"{d}/in.jsonl", 0, 100)
        wait_until(lambda: {r["P"]: (r["C"], r["S"]) for r in _outputs(d)} == _expected(100), what="the counts of v1")
        _pipeline(d, CHANGED_SQL, mode="follow")
        wait_until(lambda: "rebuilding it from the beginning" in open(f"{d}/log").read(), what="the rebuild")
        _append_clicks(f"{d}/in.jsonl", 100, 50)
        wait_until(lambda: {r["P"]: (r["C"], r["S"]) for r in _outputs(d)} == _expected(150), what="the counts after")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        log.close()
    err = open(f"{d}/log").read()
    assert proc.returncode == 0, err
    # v1 made the updates of the first 100 records; the rebuild repeated none of them, and the new records' updates
    # (C = 3) came once each.
    out = _outputs(d)
    assert len([r for r in out if r["C"] == 3]) == 50 and all(r["C"] <= 3 for r in out), out
    assert len(out) == len({(r["P"], r["C"]) for r in out}), "an update came twice"


def test_a_kafka_source_is_read_again_from_its_earliest_offset():
    """Two partitions are read side by side, so one may pass its saved position before the other: a row the new
    statements emitted can still change by an old record of the other partition, and that update comes out too.
    The new records have n = 1000, so every row emitted holds one of them; the last row of each page is exact."""
    with MockKafka(topics={"clicks": 2}, brokers=1) as kafka:
        d = tmpdir()
        source = (f"{{type: kafka, bootstrap_servers: {kafka.bootstrap}, topics: [clicks], group_id: g, "
                  f"stop_at_end: true, batch_size: 7, "
                  f"properties: {{session.timeout.ms: '6000', heartbeat.interval.ms: '500'}}}}")
        produce(kafka.bootstrap, "clicks", _clicks(0, 100))
        _pipeline(d, SQL, source=source)
        _run(d)
        assert {r["P"]: (r["C"], r["S"]) for r in _outputs(d)} == _expected(100)
        produce(kafka.bootstrap, "clicks", [json.dumps({"id": i, "page": f"/p{i % 50}", "n": 1000})
                                            for i in range(100, 150)])
        _pipeline(d, CHANGED_SQL, source=source)
        before = _parts(d)
        second = _run(d)
        assert "rebuilding it from the beginning" in second.stderr, second.stderr
        out = _outputs(d, since_part=before)
        want = {page: (c + 1, s + 1000) for page, (c, s) in _expected(100).items()}
        got = {r["P"]: (r["C"], r["S"]) for r in out}
        assert got == want, {k: (got.get(k), v) for k, v in want.items() if got.get(k) != v}
        assert all(r["S"] >= 1000 for r in out), [r for r in out if r["S"] < 1000][:5]
        assert 50 <= len(out) < 150, len(out)
