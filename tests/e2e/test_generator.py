"""The generator source through the binary: finite runs exit 0, seeds reproduce output, datasets' shapes and
joins, nexmark proportions, and the quickstart pipeline."""
import collections
import json
import os
import signal

from harness import ROOT, read_lines, run_pipe, start_pipe, tmpdir, wait_until, write


def _run_to_file(d, name, source):
    write(f"{d}/{name}.yaml", f"""
sources:
  gen: {source}
sinks:
  out: {{type: file, inputs: [gen], path: {d}/{name}.jsonl}}
""")
    p = run_pipe(["run", f"{d}/{name}.yaml", "--state-dir", f"{d}/state-{name}"], timeout=120)
    assert p.returncode == 0, p.stderr
    return [json.loads(l) for l in read_lines(f"{d}/{name}.jsonl")]


def test_count_makes_the_pipeline_finite_and_the_seed_reproducible():
    d = tmpdir()
    fixed = "start_time: '2024-01-01T00:00:00Z', count: 500"
    a = _run_to_file(d, "a", f"{{type: generator, dataset: clickstream, seed: 42, {fixed}}}")
    b = _run_to_file(d, "b", f"{{type: generator, dataset: clickstream, seed: 42, {fixed}}}")
    c = _run_to_file(d, "c", f"{{type: generator, dataset: clickstream, seed: 43, {fixed}}}")
    assert len(a) == 500
    assert a == b
    assert a != c
    assert a[0]["_time"] == 1704067200000 and a[1]["_time"] == 1704067200001
    assert a[0]["time"] == "01/Jan/2024:00:00:00 +0000"
    assert set(a[0]) >= {"_time", "time", "ip", "request", "status", "userid", "bytes", "agent", "page"}


def test_clickstream_users_join_on_user_id():
    d = tmpdir()
    clicks = _run_to_file(d, "clicks", "{type: generator, dataset: clickstream, seed: 1, count: 1000}")
    users = _run_to_file(d, "users", "{type: generator, dataset: users, seed: 1, count: 40}")
    user_ids = {u["user_id"] for u in users}
    assert user_ids == set(range(1, 41))
    assert {c["userid"] for c in clicks} <= user_ids
    assert {u["level"] for u in users} <= {"Platinum", "Gold", "Silver"}


def test_declared_fields():
    d = tmpdir()
    rows = _run_to_file(d, "f", """
    type: generator
    count: 300
    seed: 9
    fields:
      id: {type: int, sequence: true, start: 100}
      customer: {type: string, format: "customer_{n}", min: 1, max: 5}
      amount: {type: double, min: 1, max: 2}
      state: {type: string, choices: [new, paid]}
      note: {type: string, null_rate: 1}
""")
    assert [r["id"] for r in rows] == list(range(100, 400))
    assert {r["customer"] for r in rows} <= {f"customer_{i}" for i in range(1, 6)}
    assert all(1 <= r["amount"] < 2 for r in rows)
    assert {r["state"] for r in rows} == {"new", "paid"}
    assert all(r["note"] is None for r in rows)


def test_nexmark_event_mix_and_ids():
    d = tmpdir()
    events = _run_to_file(d, "n", "{type: generator, dataset: nexmark, seed: 3, count: 5000}")
    kinds = collections.Counter(e["event_type"] for e in events)
    assert kinds == {0: 100, 1: 300, 2: 4600}, kinds
    people = [e["person"]["id"] for e in events if e["event_type"] == 0]
    auctions = [e["auction"]["id"] for e in events if e["event_type"] == 1]
    assert people == list(range(1000, 1100))
    assert auctions == list(range(1000, 1300))
    bids = [e["bid"] for e in events if e["event_type"] == 2]
    assert all(b["auction"] < 1300 + 10 and b["bidder"] < 1100 + 10 for b in bids)
    assert sum(1 for b in bids if b["channel"] in ("Google", "Facebook", "Baidu", "Apple")) > len(bids) / 3


def test_quickstart_prints_failed_requests():
    proc = start_pipe(["run", os.path.join(ROOT, "pipelines", "quickstart.yaml"), "--state-dir", tmpdir(),
                       "--no-watch"])
    lines = []
    try:
        while len(lines) < 3:
            line = proc.stdout.readline()
            assert line, f"pipe exited: {proc.stderr.read()}"
            lines.append(json.loads(line))
    finally:
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=30)
    assert all(r["status"] >= 400 and r["source"] == "quickstart" for r in lines), lines
