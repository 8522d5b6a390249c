"""Per-record sink outcomes and dead letters through the binary: a sink that rejects chosen records (the file
sink's reject_when testing aid) under on_error dead_letter, skip and fail, and the replay of a dead-letter file
through the `dead_letter` format."""
import json
import os

from harness import read_lines, run_pipe, tmpdir, write
from kafka import MockKafka, consume

REJECTED_IDS = [3, 7, 8]


def _orders(d):
    lines = [json.dumps({"id": i, "status": 500 if i in REJECTED_IDS else 200, "note": "ünïcode"})
             for i in range(1, 11)]
    write(f"{d}/in.jsonl", "\n".join(lines) + "\n")


def _pipeline(d, on_error, name="p.yaml", dead_letter_path=None):
    write(f"{d}/{name}", f"""
sources:
  orders:
    type: file
    path: {d}/in.jsonl
    format: json
    transforms:
      - {{type: ValueToKey, fields: [id]}}
      - {{type: InsertHeader, header: origin, value.literal: shop}}
sinks:
  target:
    type: file
    inputs: [orders]
    path: {d}/out.jsonl
    reject_when: "status >= 500"
    on_error: {on_error}
    dead_letter_path: {dead_letter_path or f"{d}/dlq.jsonl"}
""")
    return run_pipe(["run", f"{d}/{name}", "--state-dir", f"{d}/state-{name}"], timeout=60)


def _json_lines(path):
    return [json.loads(l) for l in read_lines(path)]


def test_rejected_records_are_dead_lettered_and_the_others_delivered():
    d = tmpdir()
    _orders(d)
    p = _pipeline(d, "dead_letter")
    assert p.returncode == 0, p.stderr
    assert [r["id"] for r in _json_lines(f"{d}/out.jsonl")] == [1, 2, 4, 5, 6, 9, 10]
    dead = _json_lines(f"{d}/dlq.jsonl")
    assert [x["record"]["value"]["id"] for x in dead] == REJECTED_IDS, dead
    for x in dead:
        assert x["stage"] == "sink" and x["component"] == "target", x
        assert x["error"] == {"kind": "data", "message": "rejected by reject_when: status >= 500"}, x
        r = x["record"]
        assert r["key"] == {"id": r["value"]["id"]}, x
        assert r["value"] == {"id": r["value"]["id"], "status": 500, "note": "ünïcode"}, x
        assert r["headers"] == [{"key": "origin", "value": "shop"}], x
        assert r["topic"] == "orders" and r["partition"] == -1 and r["timestamp"] > 0, x
        assert isinstance(r["position"], str) and "raw_base64" not in r, x
        assert x["time"].endswith("Z"), x
    # The source committed past every record: a rerun delivers and dead-letters nothing again.
    p = _pipeline(d, "dead_letter")
    assert p.returncode == 0, p.stderr
    assert len(read_lines(f"{d}/dlq.jsonl")) == 3


def test_replaying_a_dead_letter_file_yields_the_original_records():
    d = tmpdir()
    _orders(d)
    assert _pipeline(d, "dead_letter").returncode == 0
    original = [x["record"] for x in _json_lines(f"{d}/dlq.jsonl")]
    # Once the cause is fixed, the dead letters go through again: the replayed records keep their key, headers,
    # topic, partition and timestamp. A sink that rejects them all shows every part in its own dead letters.
    write(f"{d}/replay.yaml", f"""
sources:
  replay:
    type: file
    path: {d}/dlq.jsonl
    format: dead_letter
sinks:
  fixed:
    type: file
    inputs: [replay]
    path: {d}/replayed-{{topic}}.jsonl
  check:
    type: file
    inputs: [replay]
    path: {d}/unused.jsonl
    reject_when: "id > 0"
    on_error: dead_letter
    dead_letter_path: {d}/replayed-dlq.jsonl
""")
    p = run_pipe(["run", f"{d}/replay.yaml", "--state-dir", f"{d}/state-replay"], timeout=60)
    assert p.returncode == 0, p.stderr
    assert _json_lines(f"{d}/replayed-orders.jsonl") == [r["value"] for r in original]
    replayed = [x["record"] for x in _json_lines(f"{d}/replayed-dlq.jsonl")]
    strip = lambda r: {k: v for k, v in r.items() if k != "position"}  # a replayed record sits in the dlq file
    assert [strip(r) for r in replayed] == [strip(r) for r in original]


def test_rejected_records_are_skipped_with_on_error_skip():
    d = tmpdir()
    _orders(d)
    p = _pipeline(d, "skip")
    assert p.returncode == 0, p.stderr
    assert [r["id"] for r in _json_lines(f"{d}/out.jsonl")] == [1, 2, 4, 5, 6, 9, 10]
    assert not os.path.exists(f"{d}/dlq.jsonl")


def test_a_rejected_record_fails_the_pipeline_by_default_and_is_not_committed():
    d = tmpdir()
    _orders(d)
    p = _pipeline(d, "fail")
    assert p.returncode != 0
    assert "rejected by reject_when" in p.stderr and '"id":3' in p.stderr, p.stderr
    # Nothing from the failed batch counts as delivered: with dead letters on, a rerun still sees record 3.
    p = _pipeline(d, "dead_letter")
    assert p.returncode == 0, p.stderr
    assert [x["record"]["value"]["id"] for x in _json_lines(f"{d}/dlq.jsonl")] == REJECTED_IDS


def test_dead_letters_to_a_kafka_topic():
    with MockKafka(topics={"dlq": 1}) as kafka:
        d = tmpdir()
        _orders(d)
        p = _pipeline(d, "dead_letter", dead_letter_path=f"kafka://{kafka.bootstrap}/dlq")
        assert p.returncode == 0, p.stderr
        assert [r["id"] for r in _json_lines(f"{d}/out.jsonl")] == [1, 2, 4, 5, 6, 9, 10]
        messages = consume(kafka.bootstrap, "dlq", fmt="%k\t%s")
        keys = [json.loads(m.split("\t", 1)[0]) for m in messages]
        dead = [json.loads(m.split("\t", 1)[1]) for m in messages]
        assert [x["record"]["value"]["id"] for x in dead] == REJECTED_IDS, dead
        assert keys == [{"id": i} for i in REJECTED_IDS], keys
        assert all(x["stage"] == "sink" and x["error"]["kind"] == "data" for x in dead), dead


def test_an_unknown_dead_letter_target_is_a_config_error():
    d = tmpdir()
    _orders(d)
    p = _pipeline(d, "dead_letter", dead_letter_path="s3://bucket/dlq")
    assert p.returncode != 0
    assert "unknown target 's3://'" in p.stderr and "kafka://" in p.stderr, p.stderr


def test_the_blackhole_sink_rejects_chosen_records_too():
    d = tmpdir()
    _orders(d)
    write(f"{d}/b.yaml", f"""
sources:
  orders: {{type: file, path: {d}/in.jsonl, format: json}}
sinks:
  discard:
    type: blackhole
    inputs: [orders]
    print_interval: 1h
    reject_when: "status >= 500"
    on_error: dead_letter
    dead_letter_path: {d}/dlq.jsonl
""")
    p = run_pipe(["run", f"{d}/b.yaml", "--state-dir", f"{d}/state"], timeout=60)
    assert p.returncode == 0, p.stderr
    assert "7 records in total" in p.stderr, p.stderr  # it counts what it delivered
    assert [x["record"]["value"]["id"] for x in _json_lines(f"{d}/dlq.jsonl")] == REJECTED_IDS


def test_kafka_messages_that_do_not_decode_are_dead_lettered_with_their_bytes_and_position():
    from kafka import produce
    import base64
    with MockKafka(topics={"in": 1}) as kafka:
        d = tmpdir()
        good = [json.dumps({"n": i}) for i in range(5)]
        produce(kafka.bootstrap, "in", good[:2] + ["{not json", "[1, 2"] + good[2:])
        write(f"{d}/p.yaml", f"""
sources:
  in:
    type: kafka
    bootstrap_servers: {kafka.bootstrap}
    topics: [in]
    group_id: dlq
    stop_at_end: true
    properties: {{session.timeout.ms: "6000", heartbeat.interval.ms: "500"}}
    on_error: dead_letter
    dead_letter_path: {d}/bad.jsonl
sinks:
  out: {{type: file, inputs: [in], path: {d}/out.jsonl, format: json}}
""")
        p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state"], timeout=60)
        assert p.returncode == 0, p.stderr
        assert [json.loads(l)["n"] for l in read_lines(f"{d}/out.jsonl")] == list(range(5))
        dead = _json_lines(f"{d}/bad.jsonl")
        assert [(x["stage"], x["record"]["position"], base64.b64decode(x["record"]["raw_base64"])) for x in dead] == [
            ("decode", "in/0@2", b"{not json"), ("decode", "in/0@3", b"[1, 2")], dead
        assert all("topic in partition 0 offset" in x["error"]["message"] for x in dead), dead
        # A rerun reads nothing again: the offsets moved past the dead letters once they were synced.
        p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state"], timeout=60)
        assert p.returncode == 0, p.stderr
        assert len(_json_lines(f"{d}/bad.jsonl")) == 2
