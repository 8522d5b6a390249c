"""Projection pushdown (core/field_demand.h): a JSON source decodes only the value fields its consumers read.
Each test checks both what `pipe explain` says the source decodes and that the output is what it would be
without the pushdown: consumers that read everything (a file sink, SELECT *, a dead letter file) must get
whole records."""
import base64
import json

from harness import read_lines, run_pipe, tmpdir, write

CLICKS = [
    {"UserId": 1, "PAGE": "/home", "status": 200, "agent": "curl", "extra": {"a": [1, 2]}},
    {"UserId": 2, "PAGE": "/cart", "status": 404, "agent": "firefox", "extra": None},
    {"UserId": 3, "PAGE": "/pay", "status": 503, "agent": "curl", "extra": "x"},
]


def _setup(pipeline_body, lines=None):
    d = tmpdir()
    lines = lines if lines is not None else [json.dumps(r) for r in CLICKS]
    write(f"{d}/in.jsonl", "".join(line + "\n" for line in lines))
    write(f"{d}/p.yaml", pipeline_body.format(d=d))
    return d


def _explain(d):
    p = run_pipe(["explain", f"{d}/p.yaml"])
    assert p.returncode == 0, p.stderr
    return p.stdout


def _run(d):
    p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state"])
    assert p.returncode == 0, p.stderr
    return p


def _json_lines(path):
    return [json.loads(line) for line in read_lines(path)]


SOURCE = """
sources:
  clicks:
    type: file
    path: {d}/in.jsonl
    mode: read
    format: json
"""


def test_filter_and_include_decode_three_fields():
    d = _setup(SOURCE + """    transforms:
      - {{type: Filter, condition: "status >= 400"}}
      - {{type: ReplaceField, include: [UserId, PAGE]}}
sinks:
  out: {{type: file, inputs: [clicks], path: "{d}/out.jsonl"}}
""")
    assert "decodes only the fields [PAGE,UserId,status]" in _explain(d)
    _run(d)
    assert _json_lines(f"{d}/out.jsonl") == [{"UserId": 2, "PAGE": "/cart"}, {"UserId": 3, "PAGE": "/pay"}]


def test_a_filter_before_a_file_sink_passes_whole_records_on_as_read():
    d = _setup(SOURCE + """    transforms:
      - {{type: Filter, condition: "status >= 400"}}
sinks:
  out: {{type: file, inputs: [clicks], path: "{d}/out.jsonl"}}
""")
    assert "decodes only the fields [status] and passes records on as read" in _explain(d)
    _run(d)
    assert _json_lines(f"{d}/out.jsonl") == CLICKS[1:]


def test_a_dead_letter_chain_keeps_whole_records():
    # The dead letter file shows records as they arrived, so a chain that writes one reads every field.
    d = _setup(SOURCE + """    on_error: dead_letter
    dead_letter_path: "{d}/dlq.jsonl"
    transforms:
      - {{type: ReplaceField, include: [UserId, status]}}
      - {{type: Filter, condition: "status >= 400"}}
sinks:
  out: {{type: file, inputs: [clicks], path: "{d}/out.jsonl"}}
""")
    with open(f"{d}/in.jsonl", "a") as f:
        f.write('"not an object"\n')  # a line that is not an object: the source's decoder refuses it (issue 19)
    assert "decodes only" not in _explain(d)
    _run(d)
    assert _json_lines(f"{d}/out.jsonl") == [{"UserId": 2, "status": 404}, {"UserId": 3, "status": 503}]
    dead = read_lines(f"{d}/dlq.jsonl")
    assert len(dead) == 1 and "expected a JSON object" in dead[0], dead
    assert json.loads(dead[0])["record"]["raw_base64"] == base64.b64encode(b'"not an object"').decode(), dead


SQL = """
transforms:
  q:
    type: sql
    inputs: [clicks]
    sql: |
      CREATE STREAM clicks (userid INT, page VARCHAR, status INT, agent VARCHAR) WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON');
      {query}
sinks:
  out: {{type: file, inputs: [out], path: "{d}/out.jsonl"}}
"""


def test_sql_reads_only_the_columns_it_mentions_matching_json_names_case_insensitively():
    d = _setup(SOURCE + SQL.replace("{query}", "CREATE STREAM out AS SELECT userid, page FROM clicks WHERE status >= 400;"))
    assert "decodes only the fields [PAGE,STATUS,USERID]" in _explain(d)
    _run(d)
    assert _json_lines(f"{d}/out.jsonl") == [{"USERID": 2, "PAGE": "/cart"}, {"USERID": 3, "PAGE": "/pay"}]


def test_sql_select_star_reads_every_column():
    d = _setup(SOURCE + SQL.replace("{query}", "CREATE STREAM out AS SELECT * FROM clicks WHERE status >= 400;"))
    assert "decodes only" not in _explain(d)
    _run(d)
    assert _json_lines(f"{d}/out.jsonl") == [
        {"USERID": 2, "PAGE": "/cart", "STATUS": 404, "AGENT": "firefox"},
        {"USERID": 3, "PAGE": "/pay", "STATUS": 503, "AGENT": "curl"},
    ]


def test_a_stream_read_by_sql_and_by_a_sink_decodes_the_sql_columns_and_keeps_the_bytes():
    d = _setup(SOURCE + SQL.replace("{query}", "CREATE STREAM out AS SELECT userid FROM clicks;") + """  raw: {{type: file, inputs: [clicks], path: "{d}/raw.jsonl"}}
""")
    assert "decodes only the fields [USERID] and passes records on as read" in _explain(d)
    _run(d)
    assert _json_lines(f"{d}/raw.jsonl") == CLICKS
    assert _json_lines(f"{d}/out.jsonl") == [{"USERID": 1}, {"USERID": 2}, {"USERID": 3}]


FILTER_400 = """    transforms:
      - {{type: Filter, condition: "status >= 400"}}
"""

RAW_LINES = [
    '{"id": 1,  "status": 500, "big": 18446744073709551615, "text": "caf\\u00e9"}',
    '{"id": 2, "status": 200}',
    '{"status": 404, "id": 3}',
]


def test_unchanged_records_are_written_as_read():
    # A Filter changes no value: the sink writes the bytes as they came (spacing, escapes, a number beyond int64).
    d = _setup(SOURCE + FILTER_400 + """sinks:
  out: {{type: file, inputs: [clicks], path: "{d}/out.jsonl"}}
""", RAW_LINES)
    assert "decodes only the fields [status] and passes records on as read" in _explain(d)
    _run(d)
    assert read_lines(f"{d}/out.jsonl") == [RAW_LINES[0], RAW_LINES[2]]


def test_a_changed_record_is_encoded_again():
    d = _setup(SOURCE + FILTER_400 + """sinks:
  out:
    type: file
    inputs: [clicks]
    path: "{d}/out.jsonl"
    transforms:
      - {{type: InsertField, static.field: seen, static.value: "yes"}}
""", RAW_LINES)
    assert "decodes only" not in _explain(d)
    _run(d)
    out = _json_lines(f"{d}/out.jsonl")
    assert [r["id"] for r in out] == [1, 3] and all(r["seen"] == "yes" for r in out), out
    assert out[0]["text"] == "café"


def test_sql_reading_fields_inside_objects_and_arrays_of_objects():
    # Issue 18: a projected JSON source whose demanded fields hold objects crashed the process (a reference into
    # the decoder's key lists dangled once a nested object grew them). Nested objects, arrays of objects and
    # deeper nesting, over many records so that every path runs again after the first document.
    records = []
    for i in range(200):
        records.append({"s": {"x": i, "y": {"z": [{"w": i * 2}]}}, "z": i, "tags": [{"k": "a", "v": i}],
                        "unread": {"deep": {"er": [1, {"q": None}]}}})
    d = _setup("""
sources:
  src:
    type: file
    path: {d}/in.jsonl
    mode: read
    format: json
transforms:
  q:
    type: sql
    inputs: [src]
    sql: |
      CREATE STREAM src (s STRUCT<x INT, y STRUCT<z ARRAY<STRUCT<w INT>>>>, z INT, tags ARRAY<STRUCT<k VARCHAR, v INT>>)
        WITH (KAFKA_TOPIC='src', VALUE_FORMAT='JSON');
      CREATE STREAM o AS SELECT s->x AS x, s->y->z[1]->w AS w, tags[1]->v AS v FROM src EMIT CHANGES;
sinks:
  out: {{type: file, inputs: [o], path: "{d}/out.jsonl"}}
""", [json.dumps(r) for r in records])
    assert "decodes only the fields [S,TAGS]" in _explain(d)
    _run(d)
    assert _json_lines(f"{d}/out.jsonl") == [{"X": i, "W": i * 2, "V": i} for i in range(200)]


def test_sql_reading_a_field_inside_an_object_the_issue_18_line():
    d = _setup("""
sources:
  src: {{type: file, path: "{d}/in.jsonl", mode: read, format: json}}
transforms:
  q:
    type: sql
    inputs: [src]
    sql: |
      CREATE STREAM src (s STRUCT<x INT>, z INT) WITH (KAFKA_TOPIC='src', VALUE_FORMAT='JSON');
      CREATE STREAM o AS SELECT s->x AS x FROM src EMIT CHANGES;
sinks:
  out: {{type: file, inputs: [o], path: "{d}/out.jsonl"}}
""", ['{"s":{"x":1}}'])
    _run(d)
    assert _json_lines(f"{d}/out.jsonl") == [{"X": 1}]
