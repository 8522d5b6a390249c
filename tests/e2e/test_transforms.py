"""Single-message transforms (src/transforms) through the binary: Kafka Connect SMTs and pipe's conditions on
source and sink `transforms:` lists, predicates, routing by topic, and failures following on_error."""
import json
import os

from harness import read_lines, run_pipe, tmpdir, write

CLICKS = [
    {"userid": "u1", "page": "/home", "status": 200, "agent": "curl", "ts": "2023-11-14 22:13:20"},
    {"userid": "u2", "page": "/cart", "status": 404, "agent": "firefox", "ts": "2023-11-15 01:00:00"},
    {"userid": "u3", "page": "/pay", "status": 503, "agent": "curl", "ts": "2023-11-15 02:30:00"},
    {"userid": "u4", "page": "/home", "status": 301, "agent": "chrome", "ts": "2023-11-16 00:00:00"},
]


def _run(d, pipeline, timeout=60):
    write(f"{d}/p.yaml", pipeline)
    return run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state"], timeout=timeout)


def _input(d, records):
    return write(f"{d}/in.jsonl", "".join(json.dumps(r) + "\n" for r in records))


def _json_lines(path):
    return [json.loads(line) for line in read_lines(path)]


def test_filter_condition_then_replace_field_include():
    d = tmpdir()
    _input(d, CLICKS)
    p = _run(d, f"""
sources:
  clicks:
    type: file
    path: {d}/in.jsonl
    mode: read
    format: json
    transforms:
      - {{type: Filter, condition: "status >= 400"}}
      - {{type: ReplaceField, include: [userid, page, status]}}
sinks:
  out: {{type: file, inputs: [clicks], path: {d}/out.jsonl, format: jsonl}}
""")
    assert p.returncode == 0, p.stderr
    assert _json_lines(f"{d}/out.jsonl") == [
        {"userid": "u2", "page": "/cart", "status": 404},
        {"userid": "u3", "page": "/pay", "status": 503},
    ]


def test_field_transforms_chain_on_a_sink():
    d = tmpdir()
    _input(d, [{"id": 1, "user": {"name": "ann", "geo": {"cc": "FR"}}, "amount": "12.50", "ssn": "123-45",
                "ts": "2023-11-14 22:13:20"}])
    p = _run(d, f"""
sources:
  orders: {{type: file, path: {d}/in.jsonl, mode: read, format: json}}
sinks:
  out:
    type: file
    inputs: [orders]
    path: {d}/out.jsonl
    transforms:
      - type: Flatten
        delimiter: "_"
      - type: Cast
        spec: "amount:float64,id:string"
      - type: MaskField
        fields: ssn
        replacement: "***"
      - type: TimestampConverter
        field: ts
        target.type: unix
        unix.precision: seconds
        format: "yyyy-MM-dd HH:mm:ss"
      - type: ReplaceField
        renames: "user_name:name,user_geo_cc:country"
      - type: InsertField
        topic.field: source
        static.field: dc
        static.value: eu-west-1
""")
    assert p.returncode == 0, p.stderr
    assert _json_lines(f"{d}/out.jsonl") == [
        {"id": "1", "name": "ann", "country": "FR", "amount": 12.5, "ssn": "***", "ts": 1700000000,
         "source": "orders", "dc": "eu-west-1"}
    ]


def test_predicates_gate_transforms_and_filter_drops_matches():
    d = tmpdir()
    _input(d, CLICKS)
    p = _run(d, f"""
sources:
  clicks:
    type: file
    path: {d}/in.jsonl
    mode: read
    format: json
    transforms:
      - type: Filter                      # Kafka Connect: drops the records matching the predicate
        predicate: 'agent == "chrome"'
      - type: InsertField
        static.field: alert
        static.value: page-oncall
        predicate: "status >= 500"
      - type: MaskField
        fields: [userid]
        predicate: {{type: Condition, condition: 'page == "/home"'}}
        negate: true
      - type: ExtractField
        field: page
        predicate: {{type: TopicNameMatches, pattern: "nomatch.*"}}
sinks:
  out: {{type: file, inputs: [clicks], path: {d}/out.jsonl, format: jsonl}}
""")
    assert p.returncode == 0, p.stderr
    out = _json_lines(f"{d}/out.jsonl")
    assert [r["status"] for r in out] == [200, 404, 503]
    assert [r.get("alert") for r in out] == [None, None, "page-oncall"]
    assert [r["userid"] for r in out] == ["u1", "", ""]


def test_regex_and_timestamp_routers_rename_the_topic():
    d = tmpdir()
    _input(d, CLICKS[:2])
    p = _run(d, f"""
sources:
  clicks_raw:
    type: file
    path: {d}/in.jsonl
    mode: read
    format: json
    transforms:
      - {{type: RegexRouter, regex: "(.*)_raw", replacement: "$1-clean"}}
      - {{type: TimestampRouter, topic.format: "$${{topic}}-{{timestamp}}", timestamp.format: "yyyy"}}
      - {{type: InsertField, topic.field: routed_to}}
sinks:
  out: {{type: file, inputs: [clicks_raw], path: "{d}/out/{{topic}}.jsonl", format: jsonl}}
""")
    assert p.returncode == 0, p.stderr
    files = sorted(os.listdir(f"{d}/out"))
    assert len(files) == 1 and files[0].startswith("clicks-clean-"), files
    out = _json_lines(f"{d}/out/{files[0]}")
    assert [r["routed_to"] for r in out] == [files[0][:-len(".jsonl")]] * 2


def test_untransformable_record_follows_on_error_dead_letter():
    d = tmpdir()
    _input(d, [{"id": 1, "status": "200"}, {"id": 2, "status": "abc"}, {"id": 3, "status": "503"}])
    p = _run(d, f"""
sources:
  raw:
    type: file
    path: {d}/in.jsonl
    mode: read
    format: json
    on_error: dead_letter
    dead_letter_path: {d}/dlq.jsonl
    transforms:
      - {{type: Cast, spec: "status:int32"}}
sinks:
  out: {{type: file, inputs: [raw], path: {d}/out.jsonl, format: jsonl}}
""")
    assert p.returncode == 0, p.stderr
    assert _json_lines(f"{d}/out.jsonl") == [{"id": 1, "status": 200}, {"id": 3, "status": 503}]
    dead = _json_lines(f"{d}/dlq.jsonl")
    assert len(dead) == 1 and dead[0]["record"]["value"]["id"] == 2, dead
    assert dead[0]["stage"] == "transform" and dead[0]["component"] == "raw", dead
    assert "Cast" in dead[0]["error"]["message"] and "status" in dead[0]["error"]["message"], dead


def test_untransformable_record_fails_the_pipeline_by_default():
    d = tmpdir()
    _input(d, [{"id": 1, "status": "abc"}])
    p = _run(d, f"""
sources:
  raw:
    type: file
    path: {d}/in.jsonl
    mode: read
    format: json
    transforms: [{{type: Cast, spec: "status:int32"}}]
sinks:
  out: {{type: file, inputs: [raw], path: {d}/out.jsonl, format: jsonl}}
""")
    assert p.returncode != 0
    assert "Cast: field 'status'" in p.stderr, p.stderr


def test_bad_condition_is_a_located_config_error():
    d = tmpdir()
    _input(d, CLICKS)
    p = _run(d, f"""
sources:
  clicks:
    type: file
    path: {d}/in.jsonl
    mode: read
    format: json
    transforms:
      - type: Filter
        condition: "status >= and level"
sinks:
  out: {{type: file, inputs: [clicks], path: {d}/out.jsonl, format: jsonl}}
""")
    assert p.returncode != 0
    assert "p.yaml:10:" in p.stderr, p.stderr
    assert "condition" in p.stderr and "column 11" in p.stderr, p.stderr
    assert not read_lines(f"{d}/out.jsonl")


def test_smt_as_a_top_level_transform_with_inputs():
    d = tmpdir()
    _input(d, CLICKS)
    p = _run(d, f"""
sources:
  clicks: {{type: file, path: {d}/in.jsonl, mode: read, format: json}}
transforms:
  server_errors:
    type: Filter
    inputs: [clicks]
    condition: 'status >= 500 or (status >= 400 and agent matches "^fire")'
  slim:
    type: ReplaceField
    inputs: [server_errors]
    exclude: [agent, ts]
sinks:
  out: {{type: file, inputs: [slim], path: {d}/out.jsonl, format: jsonl}}
""")
    assert p.returncode == 0, p.stderr
    assert _json_lines(f"{d}/out.jsonl") == [
        {"userid": "u2", "page": "/cart", "status": 404},
        {"userid": "u3", "page": "/pay", "status": 503},
    ]
