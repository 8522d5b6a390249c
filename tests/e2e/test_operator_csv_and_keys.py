"""CSV as it is written (issue 25, item 9): cells are strings unless `csv.columns` types them or `infer_types` is
on, so zip codes and phone numbers keep their leading zeros; a delimiter, a quote, files without a header and a
null text of one's own. Keys from files (item 8): `key_fields` sets the record key from value fields, and a SQL
table over records without keys says how to set one."""
import json

from harness import run_pipe, tmpdir, write

PEOPLE = "name;zip;phone;age;note\n'Ann';01234;0049123;42;'a;b'\nBob;90210;5551234;-;\n"


def _stdin_to_stdout(d, source_options, sink="{type: stdout, inputs: [people]}"):
    return write(f"{d}/p.yaml", f"""
sources:
  people:
    type: stdin
    format: csv
{source_options}
sinks:
  out: {sink}
""")


def _run(pipeline, d, text):
    p = run_pipe(["run", pipeline, "--state-dir", f"{d}/state"], input=text, timeout=60)
    assert p.returncode == 0, p.stderr
    return [json.loads(l) for l in p.stdout.splitlines()]


def test_csv_cells_are_strings_and_keep_their_leading_zeros():
    d = tmpdir()
    p = _stdin_to_stdout(d, "    csv: {delimiter: ';', quote: \"'\", null_value: '-'}")
    assert _run(p, d, PEOPLE) == [
        {"name": "Ann", "zip": "01234", "phone": "0049123", "age": "42", "note": "a;b"},
        {"name": "Bob", "zip": "90210", "phone": "5551234", "age": None, "note": ""},
    ]


def test_csv_columns_declare_types_and_infer_types_spares_leading_zeros():
    d = tmpdir()
    p = _stdin_to_stdout(d, """    csv:
      delimiter: ';'
      quote: "'"
      null_value: '-'
      infer_types: true
      columns: [{name: age, type: double}, {name: phone, type: string}]""")
    assert _run(p, d, PEOPLE) == [
        {"name": "Ann", "zip": "01234", "phone": "0049123", "age": 42.0, "note": "a;b"},
        {"name": "Bob", "zip": 90210, "phone": "5551234", "age": None, "note": ""},
    ]


def test_csv_without_a_header_takes_the_names_from_columns():
    d = tmpdir()
    p = _stdin_to_stdout(d, """    csv:
      header: false
      columns: [{name: id, type: int}, {name: zip}, {name: vip, type: boolean}]""")
    assert _run(p, d, "1,01234,true\n2,,false\n") == [
        {"id": 1, "zip": "01234", "vip": True},
        {"id": 2, "zip": None, "vip": False},
    ]


def test_a_csv_cell_that_is_not_its_declared_type_names_the_column_and_the_line():
    d = tmpdir()
    p = _stdin_to_stdout(d, "    csv: {columns: [{name: id, type: int}]}")
    r = run_pipe(["run", p, "--state-dir", f"{d}/state"], input="id,zip\n1,01234\nx,2\n", timeout=60)
    assert r.returncode == 1, r.stderr
    assert "stdin, byte offset 15: CSV column id: 'x' is not an int" in r.stderr, r.stderr
    assert json.loads(r.stdout) == {"id": 1, "zip": "01234"}  # the line before it is delivered


def test_csv_options_are_checked_at_their_position():
    d = tmpdir()
    p = _stdin_to_stdout(d, "    csv: {delimiter: ';;', header: false}")
    r = run_pipe(["validate", p])
    assert r.returncode == 2, r
    assert f"{p}:6:22: delimiter: must be one character" in r.stderr, r.stderr


def test_key_fields_set_a_scalar_or_a_struct_key():
    d = tmpdir()
    text = "".join(json.dumps(r) + "\n" for r in [{"id": 1, "region": "eu", "n": 5}, {"id": 2, "n": 6}])
    for fields, keys in (("[id]", [1, 2]), ("[region, id]", [{"region": "eu", "id": 1}, {"region": None, "id": 2}])):
        write(f"{d}/in.jsonl", text)
        p = write(f"{d}/keys.yaml", f"""
sources:
  rows: {{type: file, path: {d}/in.jsonl, key_fields: {fields}}}
sinks:
  out: {{type: stdout, inputs: [rows], metadata: true}}
""")
        assert [r["key"] for r in _run(p, d + fields, "")] == keys


USERS = [{"id": 1, "name": "ann"}, {"id": 2, "name": "bob"}, {"id": 1, "name": "anne"}]
USERS_TABLE = """
sources:
  users: {type: stdin, format: json%s}
transforms:
  q:
    type: sql
    inputs: [users]
    sql: |
      CREATE TABLE users (id BIGINT PRIMARY KEY, name STRING) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON');
      CREATE TABLE names AS SELECT id, name FROM users EMIT CHANGES;
sinks:
  out: {type: stdout, inputs: [names]}
"""


def test_a_table_over_a_file_reads_its_keys_from_key_fields():
    d = tmpdir()
    text = "".join(json.dumps(u) + "\n" for u in USERS)
    keyless = run_pipe(["run", write(f"{d}/a.yaml", USERS_TABLE % ""), "--state-dir", f"{d}/a"], input=text)
    assert keyless.returncode == 0 and keyless.stdout == "", keyless
    assert "table row with a NULL key is dropped: a table's rows need keys; a file or stdin source sets them " \
           "with key_fields: [id]" in keyless.stderr, keyless.stderr
    keyed = _run(write(f"{d}/b.yaml", USERS_TABLE % ", key_fields: [id]"), d, text)
    assert keyed[-1] == {"ID": 1, "NAME": "anne"}, keyed
    assert {r["ID"] for r in keyed} == {1, 2}, keyed


def test_csv_written_by_the_file_sink_reads_back_the_same_with_the_same_options():
    """The file sink writes csv with the options the csv reader takes (delimiter, quote, header, null_value, and
    columns picking the fields): what it writes, the file source reads back to the same records."""
    d = tmpdir()
    records = [
        {"name": "Ann", "zip": "01234", "note": "it's; odd", "phone": None},
        {"name": "Bob", "zip": "90210", "note": "", "phone": "0049123"},
        {"name": "NULL", "zip": "2;3", "note": "a\"b", "phone": None},
    ]
    write(f"{d}/in.jsonl", "".join(json.dumps(r) + "\n" for r in records))
    csv_options = "csv: {delimiter: ';', quote: \"'\", null_value: 'NULL', header: %s, columns: %s}"
    columns = "[{name: name}, {name: zip}, {name: note}, {name: phone}]"
    for header in ("true", "false"):
        out = f"{d}/out-{header}.csv"
        writer = write(f"{d}/write-{header}.yaml", f"""
sources:
  people: {{type: file, path: {d}/in.jsonl}}
sinks:
  out:
    type: file
    inputs: [people]
    path: {out}
    format: csv
    {csv_options % (header, columns)}
""")
        p = run_pipe(["run", writer, "--state-dir", f"{d}/state-w-{header}"], timeout=60)
        assert p.returncode == 0, p.stderr
        text = open(out).read()
        first = "name;zip;note;phone\n" if header == "true" else ""
        assert text == first + "Ann;01234;'it''s; odd';NULL\nBob;90210;;0049123\n'NULL';'2;3';a\"b;NULL\n", text
        reader = write(f"{d}/read-{header}.yaml", f"""
sources:
  people:
    type: file
    path: {out}
    format: csv
    {csv_options % (header, columns)}
sinks:
  back: {{type: stdout, inputs: [people]}}
""")
        p = run_pipe(["run", reader, "--state-dir", f"{d}/state-r-{header}"], timeout=60)
        assert p.returncode == 0, p.stderr
        assert [json.loads(l) for l in p.stdout.splitlines()] == records, p.stdout
