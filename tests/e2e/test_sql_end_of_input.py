"""EMIT FINAL at the end of finite input (issue 25, item 6): in `pipe run`, once every input of a SQL stage is read
to its end, every open window closes and its final result comes out before the pipeline ends, as Flink does at the
end of bounded input. ksqlDB itself waits for stream time, which a finished file never advances: the last window
(and, with the default 24-hour grace, every window) would never come out."""
import json

from harness import read_lines, run_pipe, tmpdir, write

EVENTS = [("a", 1000), ("b", 2000), ("a", 5000), ("a", 12000), ("b", 15000), ("a", 21000)]

# In window order, and within a window by the time of its last record (b's 2000 before a's 5000).
EVERY_WINDOW = [
    {"U": "b", "WS": 0, "N": 1},
    {"U": "a", "WS": 0, "N": 2},
    {"U": "a", "WS": 10000, "N": 1},
    {"U": "b", "WS": 10000, "N": 1},
    {"U": "a", "WS": 20000, "N": 1},
]


def _run(grace):
    d = tmpdir("pipe-end-of-input-")
    write(f"{d}/in.jsonl", "".join(json.dumps({"user": u, "ts": ts}) + "\n" for u, ts in EVENTS))
    write(f"{d}/p.yaml", f"""
sources:
  ev: {{type: file, path: {d}/in.jsonl, format: json}}
transforms:
  q:
    type: sql
    inputs: [ev]
    sql: |
      CREATE STREAM ev (user VARCHAR, ts BIGINT) WITH (KAFKA_TOPIC='ev', VALUE_FORMAT='JSON', TIMESTAMP='ts');
      CREATE TABLE per_user AS SELECT user, AS_VALUE(user) AS u, WINDOWSTART AS ws, COUNT(*) AS n FROM ev
        WINDOW TUMBLING (SIZE 10 SECONDS{grace}) GROUP BY user EMIT FINAL;
sinks:
  out: {{type: file, inputs: [per_user], path: "{d}/out.jsonl"}}
""")
    p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state"])
    assert p.returncode == 0, p.stderr
    return [json.loads(line) for line in read_lines(f"{d}/out.jsonl")]


def test_the_last_window_comes_out_at_the_end_of_a_file():
    # Stream time closes [0,10s) and [10s,20s) during the run; [20s,30s) only because the file ended.
    assert _run(", GRACE PERIOD 0 SECONDS") == EVERY_WINDOW


def test_with_the_default_grace_every_window_comes_out_at_the_end():
    # 24 hours of grace: no window closes by stream time; all of them close when the input ends.
    assert _run("") == EVERY_WINDOW
