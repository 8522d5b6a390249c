"""Environment substitution on parsed values and secrets kept out of messages (issue 19, items 3 and 6).

`${VAR}` is replaced in the parsed scalar values, never in the text: a value holding `#`, a newline or a leading
`*`/`{` stays the one string it is. Values from the environment, options marked secret and librdkafka properties
that look secret (or are misspelled) are never echoed; `validate` checks librdkafka's property names itself.
"""
import json

from harness import run_pipe, tmpdir, write

HOSTILE = {
    "PW": "S3CR3T #x",
    "NL": "x\n      static.field: injected\n  evil: {type: stdin}",
    "STAR": "*not-an-alias",
    "BRACE": "{a: 1}",
    "AT": "@at",
    "PCT": "%pct",
    "QUOTE": '"half',
}


def _pipeline(d, fields):
    inserts = "".join(f"\n      - {{type: InsertField, static.field: {f}, static.value: \"${{{v}}}\"}}"
                      for f, v in fields.items())
    return write(f"{d}/p.yaml", f"""
sources:
  gen:
    type: generator
    count: 1
    fields: {{n: int}}
sinks:
  out:
    type: file
    inputs: [gen]
    path: {d}/out.jsonl
    transforms:{inserts}
""")


def test_env_values_stay_one_string_whatever_they_hold():
    d = tmpdir()
    fields = {f"f{i}": name for i, name in enumerate(HOSTILE)}
    _pipeline(d, fields)
    p = run_pipe(["validate", f"{d}/p.yaml"], env=HOSTILE)
    assert p.returncode == 0, p.stderr
    assert "1 sources" in p.stdout, p.stdout  # the newline added no source
    run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state"], env=HOSTILE, check=True)
    with open(f"{d}/out.jsonl") as f:
        records = [json.loads(line) for line in f]
    assert len(records) == 1, records
    for field, name in fields.items():
        assert records[0][field] == HOSTILE[name], (field, records[0])
    assert "injected" not in records[0]


def test_references_are_located_at_their_scalar_and_escapes_stay_literal():
    d = tmpdir()
    write(f"{d}/p.yaml", """sources:
  gen: {type: generator, count: 1, fields: {n: int}}
sinks:
  out:
    type: file
    inputs: [gen]
    path: ${NO_SUCH_VARIABLE_X}/out.jsonl
""")
    p = run_pipe(["validate", f"{d}/p.yaml"])
    assert p.returncode == 2
    assert "p.yaml:7:11: environment variable NO_SUCH_VARIABLE_X is not set" in p.stderr, p.stderr
    _pipeline(d, {"lit": "LIT"})
    text = open(f"{d}/p.yaml").read().replace('"${LIT}"', "'$${HOME} and ${DEFAULTED:-dflt #1}'")
    write(f"{d}/p.yaml", text)
    run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state"], check=True)
    with open(f"{d}/out.jsonl") as f:
        assert json.loads(f.readline())["lit"] == "${HOME} and dflt #1"


def test_a_value_from_the_environment_is_not_echoed_by_a_type_error():
    d = tmpdir()
    write(f"{d}/p.yaml", f"""sources:
  gen: {{type: generator, count: "${{COUNT}}", fields: {{n: int}}}}
sinks:
  out: {{type: file, inputs: [gen], path: {d}/out.jsonl}}
""")
    p = run_pipe(["validate", f"{d}/p.yaml"], env={"COUNT": "hunter2-typed"})
    assert p.returncode == 2
    assert "count: expected an integer" in p.stderr, p.stderr
    assert "hunter2" not in p.stdout + p.stderr, p.stderr


def _kafka_pipeline(d, properties):
    return write(f"{d}/p.yaml", f"""sources:
  in:
    type: kafka
    bootstrap_servers: 127.0.0.1:9
    topics: [t]
    properties:
{properties}
sinks:
  out: {{type: file, inputs: [in], path: {d}/out.jsonl}}
""")


def test_a_misspelled_secret_property_is_a_validate_error_with_a_suggestion_and_no_secret():
    d = tmpdir()
    _kafka_pipeline(d, "      security.protocol: SASL_PLAINTEXT\n      sasl.passwd: ${PW}")
    for args in (["validate"], ["run", "--state-dir", f"{d}/state"]):
        p = run_pipe([args[0], f"{d}/p.yaml"] + args[1:], env={"PW": "hunter2-env"}, timeout=30)
        assert p.returncode == 2, (args, p.stderr)
        assert "'sasl.passwd' is not a librdkafka property (did you mean 'sasl.password'?)" in p.stderr, p.stderr
        assert "p.yaml:8:7:" in p.stderr, p.stderr
        assert "hunter2" not in p.stdout + p.stderr, p.stderr
    # Written in the file itself it is not shown either: an unknown name may be a misspelled secret.
    _kafka_pipeline(d, "      sasl.pasword: hunter2-file")
    p = run_pipe(["validate", f"{d}/p.yaml"])
    assert p.returncode == 2 and "did you mean 'sasl.password'" in p.stderr, p.stderr
    assert "hunter2" not in p.stdout + p.stderr, p.stderr


def test_a_rejected_property_value_names_the_reason_unless_it_is_secret():
    d = tmpdir()
    _kafka_pipeline(d, "      acks: banana")
    p = run_pipe(["validate", f"{d}/p.yaml"])
    assert p.returncode == 2 and "acks=banana" in p.stderr, p.stderr
    _kafka_pipeline(d, "      security.protocol: ${MECH}")
    p = run_pipe(["validate", f"{d}/p.yaml"], env={"MECH": "hunter2-mech"})
    assert p.returncode == 2 and "security.protocol" in p.stderr, p.stderr
    assert "hunter2" not in p.stdout + p.stderr, p.stderr
    _kafka_pipeline(d, "      sasl.password: ${PW}\n      sasl.username: u")
    p = run_pipe(["validate", f"{d}/p.yaml"], env={"PW": "hunter2-ok"})
    assert p.returncode == 0, p.stderr
