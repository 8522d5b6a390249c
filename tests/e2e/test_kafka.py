"""Kafka through the binary, against librdkafka's mock cluster (tests/support/kafka.py): Kafka to Kafka with keys,
headers and timestamps; SQL state exact under repeated SIGKILL; two processes sharing a group; the transactional
path; the Admin API error path; broker outages, leader moves and failed requests (the helper's fault commands);
stateful SQL scaled out over two processes (repartition and changelog topics). The exactly-once kill test needs a real
cluster (PIPE_TEST_KAFKA_BOOTSTRAP). At-least-once of the kafka source and sink under SIGKILL is a case of the
connector conformance suite (tests/conformance/connectors)."""
import json
import os
import random
import re
import signal
import subprocess
import threading
import time
import urllib.request
import uuid

from harness import Skip, free_port, run_pipe, sigkill_runs, start_pipe, tmpdir, wait_until, write
from kafka import MockKafka, consume, count, produce, produce_file

CONSUMER_PROPS = {"session.timeout.ms": "6000", "heartbeat.interval.ms": "500"}


def _pipeline(d, bootstrap, source_extra="", sink_extra="", in_topic="in", out_topic="out", group="g"):
    props = "".join(f"\n        {k}: \"{v}\"" for k, v in CONSUMER_PROPS.items())
    return write(f"{d}/p.yaml", f"""
sources:
  in:
    type: kafka
    bootstrap_servers: {bootstrap}
    topics: [{in_topic}]
    group_id: {group}
    stop_at_end: true
    properties:{props}{source_extra}
sinks:
  out:
    type: kafka
    inputs: [in]
    bootstrap_servers: {bootstrap}
    topic: {out_topic}{sink_extra}
""")


def _numbers_file(d, n, start=0):
    path = f"{d}/input.jsonl"
    with open(path, "w") as f:
        for i in range(start, start + n):
            f.write(json.dumps({"n": i, "status": 200 + (i % 5) * 100, "pad": "x" * 40}) + "\n")
    return path


def _numbers(bootstrap, topic):
    return [json.loads(v)["n"] for v in consume(bootstrap, topic)]


def _missing_and_duplicates(out, total):
    """The numbers 0..total-1 not in `out`, and how many of `out` are repeats."""
    return set(range(total)) - set(out), len(out) - len(set(out))


def test_kafka_to_kafka_keeps_keys_headers_timestamps():
    with MockKafka(topics={"in": 4, "out": 4}, brokers=3) as kafka:
        # Compact JSON: the sink writes JSON back compactly, so value bytes compare equal.
        lines = [f"user{i % 50}:" + json.dumps({"n": i, "page": f"/p/{i}"}, separators=(",", ":"))
                 for i in range(3000)]
        produce(kafka.bootstrap, "in", lines, key_delimiter=":", headers=["source=web", "trace=abc"])
        d = tmpdir()
        _pipeline(d, kafka.bootstrap)
        p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state"], timeout=90)
        assert p.returncode == 0, p.stderr
        fmt = "%k\t%s\t%T\t%h"
        given = sorted(consume(kafka.bootstrap, "in", fmt=fmt))
        got = sorted(consume(kafka.bootstrap, "out", fmt=fmt))
        assert len(given) == 3000
        assert len(got) == 3000, f"{len(got)} of 3000 records in the output"
        assert got == given  # key, value bytes, timestamp and headers all preserved
        # murmur2_random (Java's partitioner): one key always lands on one output partition.
        by_key = {}
        for line in consume(kafka.bootstrap, "out", fmt="%k\t%p"):
            k, part = line.split("\t")
            by_key.setdefault(k, set()).add(part)
        assert all(len(parts) == 1 for parts in by_key.values())


def _feed_in_background(bootstrap, topic, total, chunk, pause, record=lambda i: {"n": i, "pad": "x" * 40}):
    """Produces record(i) for i < total in chunks from a thread; returns (thread, errors)."""
    errors = []

    def feed():
        try:
            for start in range(0, total, chunk):
                produce(bootstrap, topic, [json.dumps(record(i)) for i in range(start, start + chunk)])
                time.sleep(pause)
        except Exception as e:  # reported by the main thread
            errors.append(e)

    t = threading.Thread(target=feed)
    t.start()
    return t, errors


def test_kafka_sql_state_exact_under_repeated_sigkill():
    """A GROUP BY over a Kafka topic, killed again and again while input arrives: every aggregate equals that of one
    uninterrupted run (the state is saved with the positions it holds; replayed offsets are not counted twice)."""
    total, chunk = 60000, 2000
    with MockKafka(topics={"in": 8}, brokers=3) as kafka:
        d = tmpdir()
        errors = []

        def feed():
            try:
                for start in range(0, total, chunk):
                    produce(kafka.bootstrap, "in",
                            [json.dumps({"n": i, "page": f"/p{i % 40}"}) for i in range(start, start + chunk)])
                    time.sleep(0.3)
            except Exception as e:  # reported by the main thread
                errors.append(e)

        feeder = threading.Thread(target=feed)
        feeder.start()
        props = "".join(f"\n        {k}: \"{v}\"" for k, v in CONSUMER_PROPS.items())
        pipeline = f"""
sources:
  in:
    type: kafka
    bootstrap_servers: {kafka.bootstrap}
    topics: [in]
    group_id: g
    batch_size: 300
    stop_at_end: STOP
    properties:{props}
transforms:
  q:
    type: sql
    inputs: [in]
    properties: {{ksql.streams.commit.interval.ms: '200'}}
    sql: |
      CREATE STREAM s (n BIGINT, page VARCHAR) WITH (KAFKA_TOPIC='in', VALUE_FORMAT='JSON');
      CREATE TABLE per_page AS SELECT page, AS_VALUE(page) AS p, COUNT(*) AS c, SUM(n) AS total FROM s GROUP BY page;
sinks:
  out: {{type: file, inputs: [per_page], path: "{d}/out/part-{{n}}.jsonl", format: jsonl, max_records: 2000,
         flush_interval: 50ms}}
"""
        write(f"{d}/p.yaml", pipeline.replace("STOP", "false"))
        write(f"{d}/final.yaml", pipeline.replace("STOP", "true"))
        try:
            kills = sigkill_runs(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--no-watch"], random.Random(5),
                                 delay=(0.8, 2.0), until=lambda: not feeder.is_alive())
        finally:
            feeder.join()
        assert not errors, errors
        p = run_pipe(["run", f"{d}/final.yaml", "--state-dir", f"{d}/state", "--no-watch"], timeout=120)
        assert p.returncode == 0, p.stderr
        last = {}
        parts = sorted(os.listdir(f"{d}/out"), key=lambda f: int(f.split("-")[1].split(".")[0]))
        for name in parts:
            with open(f"{d}/out/{name}") as fh:
                for line in fh:
                    try:
                        r = json.loads(line)
                    except ValueError:
                        continue  # torn by SIGKILL
                    last[r["P"]] = (r["C"], r["TOTAL"])
        want = {}
        for i in range(total):
            c, t = want.get(f"/p{i % 40}", (0, 0))
            want[f"/p{i % 40}"] = (c + 1, t + i)
        wrong = {k: (last.get(k), v) for k, v in want.items() if last.get(k) != v}
        print(f"kafka SQL state: {kills} kills, {len(want)} aggregates, {len(wrong)} wrong")
        assert kills >= 4, f"only {kills} kills while input was arriving"
        assert not wrong, f"(got, want) per page: {dict(list(wrong.items())[:4])}"


def _stop_all(procs, logs):
    """Stops the pipe processes still running (SIGTERM: they drain) and closes their log files."""
    for p in procs.values():
        if p.poll() is None:
            p.terminate()
            p.wait(timeout=20)
    for f in logs.values():
        f.close()


def test_kafka_two_processes_share_a_group_and_survive_a_kill():
    total = 30000
    with MockKafka(topics={"in": 8, "out": 8}, brokers=1) as kafka:
        d = tmpdir()
        feeder, feed_errors = _feed_in_background(kafka.bootstrap, "in", total, 1000, 0.4)
        # Not finite: each member's stop_at_end would only cover the partitions it holds at a moment.
        _pipeline(d, kafka.bootstrap, source_extra="\n    batch_size: 200")
        with open(f"{d}/p.yaml") as f:
            write(f"{d}/p.yaml", f.read().replace("stop_at_end: true", "stop_at_end: false"))
        logs = {name: open(f"{d}/{name}.log", "w") for name in ("a", "b")}
        procs = {name: start_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/{name}"], stdout=subprocess.DEVNULL,
                                  stderr=logs[name]) for name in ("a", "b")}

        def log(name):
            with open(f"{d}/{name}.log") as f:
                return f.read()
        try:
            # The group splits the 8 partitions between the two processes.
            wait_until(lambda: "now owns 4" in log("a") and "now owns 4" in log("b"), timeout=40, interval=0.2,
                       what="both processes owning 4 partitions")
            wait_until(lambda: count(kafka.bootstrap, "out") > 2000, timeout=40, interval=0.2, what="output")
            procs["a"].send_signal(signal.SIGKILL)
            procs["a"].wait()
            # b takes a's partitions over after the session timeout and finishes everything.
            wait_until(lambda: "now owns 8" in log("b"), timeout=40, interval=0.5, what="b owning all partitions")
            feeder.join()
            wait_until(lambda: len(set(_numbers(kafka.bootstrap, "out"))) >= total, timeout=60, interval=1,
                       what="all records in the output")
        finally:
            feeder.join()
            _stop_all(procs, logs)
        assert not feed_errors, feed_errors
        out = _numbers(kafka.bootstrap, "out")
        assert set(out) == set(range(total))
        print(f"kafka two processes: {len(out)} output records, duplicates {_missing_and_duplicates(out, total)[1]}")


def _scale_out_two_processes_one_killed(kafka, input_topics, statements, chunks, want, pause=0.5, feed_when=None,
                                        source_per_topic=False, kill_when=None):
    """Runs the pipeline `statements` (a scaled-out `sql` transform q reading `input_topics`, writing table OUT to
    topic counts, keyed by its first column with the value column K) in two processes. A thread produces the input
    `chunks` ((topic, lines, key delimiter)), one every `pause` seconds once `feed_when()` holds (if given: the
    processes have read what must come first); process a is SIGKILLed once
    a third of them are in and output flows (and `kill_when()` holds, if given). Returns the survivor's log and its /metrics text once the last value
    per key in counts equals `want` (key -> value of column N). One topic is read by a source named after it;
    several by one source `in` whose records go to the SQL topics they name, or with `source_per_topic` by a
    source per topic, each its own consumer group."""
    d = tmpdir()
    props = "".join(f"\n        {k}: \"{v}\"" for k, v in CONSUMER_PROPS.items())
    sql = "".join(f"\n      {line}" for line in statements)
    if len(input_topics) == 1 or source_per_topic:
        groups = {topic: ([topic], f"g-{topic}") for topic in input_topics}
    else:
        groups = {"in": (input_topics, "g")}
    routing = "" if len(groups) == len(input_topics) else "\n    topics_from_records: true"
    sources = "".join(f"""
  {name}:
    type: kafka
    bootstrap_servers: {kafka.bootstrap}
    topics: [{", ".join(topics)}]
    group_id: {group}
    batch_size: 300
    properties:{props}""" for name, (topics, group) in groups.items())
    write(f"{d}/p.yaml", f"""
sources:{sources}
transforms:
  q:
    type: sql
    inputs: [{", ".join(groups)}]{routing}
    properties: {{ksql.streams.commit.interval.ms: '300'}}
    scale_out:
      bootstrap_servers: {kafka.bootstrap}
      properties:{props}
    sql: |{sql}
sinks:
  counts: {{type: kafka, inputs: [out], bootstrap_servers: {kafka.bootstrap}, topic: counts, linger: 5ms}}
""")
    logs = {name: open(f"{d}/{name}.log", "w") for name in ("a", "b")}
    port = free_port()
    procs = {name: start_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/{name}", "--no-watch"] +
                              (["--http", f"127.0.0.1:{port}"] if name == "b" else []),
                              stdout=subprocess.DEVNULL, stderr=logs[name]) for name in ("a", "b")}

    def log(name):
        with open(f"{d}/{name}.log") as f:
            return f.read()

    def last_per_key():
        last = {}
        for v in consume(kafka.bootstrap, "counts"):
            r = json.loads(v)
            last[r["K"]] = r["N"]
        return last

    feeder, errors, produced = None, [], [0]
    try:
        # Each process owns 2 of the 4 repartition partitions.
        wait_until(lambda: log("a").count("now owns 2") and log("b").count("now owns 2"), timeout=40,
                   interval=0.2, what="both processes owning repartition partitions")

        def feed():
            try:
                if feed_when:
                    wait_until(feed_when, timeout=60, interval=0.3, what="the input that must come first")
                for topic, lines, key_delimiter in chunks:
                    produce(kafka.bootstrap, topic, lines, key_delimiter=key_delimiter)
                    produced[0] += 1
                    time.sleep(pause)
            except Exception as e:  # reported by the main thread
                errors.append(e)
        feeder = threading.Thread(target=feed)
        feeder.start()
        wait_until(lambda: produced[0] >= len(chunks) // 3, timeout=60, interval=0.2, what="a third of the input")
        wait_until(lambda: count(kafka.bootstrap, "counts") > 0, timeout=40, interval=0.3, what="output")
        if kill_when:
            wait_until(kill_when, timeout=40, interval=0.3, what="the condition for the kill")
        assert produced[0] < len(chunks), "the input ended before the kill"
        procs["a"].send_signal(signal.SIGKILL)
        procs["a"].wait()
        feeder.join()
        assert not errors, errors
        # b takes a's partitions over after the session timeout, restores their state and finishes.
        try:
            wait_until(lambda: last_per_key() == want, timeout=90, interval=2, what="every aggregate right")
        except AssertionError:
            got = last_per_key()
            wrong = {k: (got.get(k), v) for k, v in want.items() if got.get(k) != v}
            raise AssertionError(f"{len(wrong)} of {len(want)} aggregates wrong after 90 s, (got, want): "
                                 f"{dict(list(wrong.items())[:8])}\n--- survivor's log:\n{log('b')[-4000:]}"
                                 f"\n--- killed process's log:\n{log('a')[-2000:]}")
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
            metrics = r.read().decode()
    finally:
        if feeder:
            feeder.join()
        _stop_all(procs, logs)
    return log("b"), metrics


def _metric(metrics, name):
    """The value of the one sample of `name` in Prometheus text."""
    m = re.search(rf"^{name}{{[^}}]*}} (\d+)", metrics, re.M)
    assert m, f"no {name} in /metrics"
    return int(m.group(1))


def test_kafka_scale_out_group_by_moves_state_with_its_partitions():
    """Two processes share a GROUP BY on a column that is not the key: changes go through the repartition topic,
    each process aggregates the partitions it owns and saves their state to the changelog topic. One is killed
    mid-stream; the other restores its partitions' state from the changelog, and every aggregate is exact."""
    total, pages = 30000, 40
    topics = {"in": 8, "pipe-q-repartition": 4, "pipe-q-changelog": 4, "counts": 4}
    with MockKafka(topics=topics, brokers=1) as kafka:
        chunks = [("in", [json.dumps({"n": i, "page": f"/p{i % pages}"}) for i in range(start, start + 1000)], None)
                  for start in range(0, total, 1000)]
        want = {}
        for i in range(total):
            want[f"/p{i % pages}"] = want.get(f"/p{i % pages}", 0) + i
        log, metrics = _scale_out_two_processes_one_killed(kafka, ["in"], [
            "CREATE STREAM s (n BIGINT, page VARCHAR) WITH (KAFKA_TOPIC='in', VALUE_FORMAT='JSON');",
            "CREATE TABLE out AS SELECT page, AS_VALUE(page) AS k, SUM(n) AS n FROM s GROUP BY page;"], chunks, want,
            # Both processes have saved state to the changelog (each owns 2 of its 4 partitions): on a slow machine
            # output can flow from one process only, and a process killed before its first save leaves nothing.
            kill_when=lambda: len(set(consume(kafka.bootstrap, "pipe-q-changelog", fmt="%p"))) == 4)
    assert "state restored from Kafka topic pipe-q-changelog partition" in log, log[-3000:]
    # The survivor holds all 4 repartition partitions, at least a's 2 restored from the changelog.
    assert _metric(metrics, "pipe_sql_tasks") == 4 and _metric(metrics, "pipe_sql_state_restores_total") >= 2, metrics
    print(f"kafka scale-out: {total} records, {pages} sums exact after a kill; "
          f"the survivor restored {log.count('state restored from')} partitions from the changelog")


def test_kafka_scale_out_table_aggregate_keeps_both_states_per_partition():
    """A GROUP BY over a table: the table (state before the repartition) is kept per input partition and the
    counts per repartition partition, both in the changelog. Users change level, so counts move between groups
    (a retraction for the old level, an insert for the new, which may live in the other process)."""
    total, users, levels = 12000, 300, ["bronze", "silver", "gold", "platinum", "diamond"]
    topics = {"users": 8, "pipe-q-repartition": 4, "pipe-q-changelog": 8, "counts": 4}
    with MockKafka(topics=topics, brokers=1) as kafka:
        def level(i):
            return levels[(i * 7 + i // users) % len(levels)]

        chunks = [("users", [f"u{i % users}|" + json.dumps({"level": level(i)}) for i in range(start, start + 400)], "|")
                  for start in range(0, total, 400)]
        final = {f"u{i % users}": level(i) for i in range(total)}
        want = {}
        for lv in final.values():
            want[lv] = want.get(lv, 0) + 1
        log, _ = _scale_out_two_processes_one_killed(kafka, ["users"], [
            "CREATE TABLE users (id VARCHAR PRIMARY KEY, level VARCHAR) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON');",
            "CREATE TABLE out AS SELECT level, AS_VALUE(level) AS k, COUNT(*) AS n FROM users GROUP BY level;"],
            chunks, want)
    # The survivor restores a's users partitions (front) when it takes them over; a's repartition partitions only
    # when records of them come after the takeover, which depends on when the rebalance ends.
    assert "(front:" in log, log[-3000:]
    print(f"kafka scale-out over a table: {total} updates of {users} users, counts per level exact after a kill; "
          f"the survivor restored {log.count('state restored from')} tasks from the changelog")


def test_kafka_scale_out_join_keeps_the_table_side_per_partition():
    """A stream-table join before the GROUP BY: one source reads both co-partitioned topics (the range assignor gives
    a process partition p of both), each input partition's task keeps its share of the users table, and the
    counts per level of the clicking users are exact after a kill."""
    total, users, levels = 21000, 200, ["bronze", "silver", "gold", "platinum", "diamond"]
    topics = {"clicks": 4, "users": 4, "pipe-q-repartition": 4, "pipe-q-changelog": 4, "counts": 4}
    with MockKafka(topics=topics, brokers=1) as kafka:
        produce(kafka.bootstrap, "users", [f"u{u}|" + json.dumps({"level": levels[u % len(levels)]})
                                           for u in range(users)], key_delimiter="|")

        chunks = [("clicks", [f"u{i % users}|" + json.dumps({"page": f"/p{i % 7}"}) for i in range(start, start + 700)],
                   "|") for start in range(0, total, 700)]
        want = {}
        for i in range(total):
            want[levels[(i % users) % len(levels)]] = want.get(levels[(i % users) % len(levels)], 0) + 1
        log, _ = _scale_out_two_processes_one_killed(kafka, ["clicks", "users"], [
            "CREATE TABLE users (id VARCHAR PRIMARY KEY, level VARCHAR) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON');",
            "CREATE STREAM clicks (id VARCHAR KEY, page VARCHAR) WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON');",
            "CREATE TABLE out AS SELECT u.level AS level, AS_VALUE(u.level) AS k, COUNT(*) AS n",
            "  FROM clicks c JOIN users u ON c.id = u.id GROUP BY u.level;"], chunks, want,
            # An inner join drops clicks of users it has not seen: clicks come once every user went through the
            # repartition topic (a user's clicks follow it in its partition there).
            feed_when=lambda: count(kafka.bootstrap, "pipe-q-repartition") >= users)
    assert "(front:" in log, log[-3000:]
    print(f"kafka scale-out join: {total} clicks of {users} users, counts per level exact after a kill; "
          f"the survivor restored {log.count('state restored from')} tasks from the changelog")


def test_kafka_scale_out_join_repartitions_both_sides_by_the_join_key():
    """A stream-table join on a column of the stream that is not its key, over two sources whose topics are not
    co-partitioned (4 and 3 partitions), then counts per level: both sides go through the repartition topic keyed
    by the join key, the join runs in the process owning that key, and the counts go through it again keyed by
    level. The users table keeps its rows per users partition (for the row an update replaces). One process is
    killed; every count is exact."""
    total, users, levels = 21000, 200, ["bronze", "silver", "gold", "platinum", "diamond"]
    topics = {"clicks": 4, "users": 3, "pipe-q-repartition": 4, "pipe-q-changelog": 4, "counts": 4}
    with MockKafka(topics=topics, brokers=1) as kafka:
        produce(kafka.bootstrap, "users", [f"u{u}|" + json.dumps({"level": levels[u % len(levels)]})
                                           for u in range(users)], key_delimiter="|")
        # Clicks are keyed by their own id, so a user's clicks are spread over every clicks partition.
        chunks = [("clicks", [f"c{i}|" + json.dumps({"user": f"u{(i * 7) % users}", "page": f"/p{i % 7}"})
                              for i in range(start, start + 700)], "|") for start in range(0, total, 700)]
        want = {}
        for i in range(total):
            level = levels[((i * 7) % users) % len(levels)]
            want[level] = want.get(level, 0) + 1
        log, _ = _scale_out_two_processes_one_killed(kafka, ["clicks", "users"], [
            "CREATE TABLE users (id VARCHAR PRIMARY KEY, level VARCHAR) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON');",
            "CREATE STREAM clicks (cid VARCHAR KEY, user VARCHAR, page VARCHAR)",
            "  WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON');",
            "CREATE TABLE out AS SELECT u.level AS level, AS_VALUE(u.level) AS k, COUNT(*) AS n",
            "  FROM clicks c JOIN users u ON c.user = u.id GROUP BY u.level;"], chunks, want,
            feed_when=lambda: count(kafka.bootstrap, "pipe-q-repartition") >= users,  # as in the test above
            source_per_topic=True)
    # The survivor restored the joins and counts of a's repartition partitions (a's users partitions only once a
    # user changes again: a task is made for a partition when records of it come).
    assert "(group)" in log, log[-3000:]
    print(f"kafka scale-out join repartitioned by key: {total} clicks of {users} users over topics of 4 and 3 "
          f"partitions, counts per level exact after a kill")


def test_kafka_exactly_once_path_on_the_mock_loses_nothing():
    total = 5000
    with MockKafka(topics={"in": 4, "out": 4}, brokers=3) as kafka:
        d = tmpdir()
        produce_file(kafka.bootstrap, "in", _numbers_file(d, total))
        _pipeline(d, kafka.bootstrap, sink_extra="\n    guarantee: exactly_once\n    transaction_max_records: 1000")
        p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state"], timeout=90)
        assert p.returncode == 0, p.stderr
        out = _numbers(kafka.bootstrap, "out")
        # The mock writes no commit markers and discards transactional offsets (kafka-mock.md): what it can
        # show is that every record went through the transactional producer exactly once in a clean run.
        assert sorted(out) == list(range(total))


def test_kafka_rides_out_a_broker_outage_leader_moves_and_request_errors():
    total = 20000
    with MockKafka(topics={"in": 6, "out": 6}, brokers=3) as kafka:
        d = tmpdir()
        produce_file(kafka.bootstrap, "in", _numbers_file(d, total))
        # Broker 2 leads a third of both topics' partitions and is down when pipe starts; the next produce and
        # fetch requests fail with NOT_LEADER_OR_FOLLOWER (6) and a partition changes leader mid-run.
        kafka.fault("down 2")
        kafka.fault("errors 0 6 10")
        kafka.fault("errors 1 6 5")
        # One produce request in flight per broker. The mock does not check an idempotent producer's sequence numbers
        # (only a transactional one's), so with several in flight a request after a failed one is appended, and
        # librdkafka then takes the failed one as written too (rd_kafka_dr_implicit_ack): 1 record in about 50 runs
        # was reported delivered and never written. A real broker refuses the later request (OUT_OF_ORDER_SEQUENCE)
        # and both are retried in order.
        _pipeline(d, kafka.bootstrap,
                  sink_extra='\n    properties:\n      max.in.flight.requests.per.connection: "1"')
        proc = start_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state"], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE)
        try:
            time.sleep(4)
            assert proc.poll() is None, "pipe ended while a third of the input was unreachable"
            kafka.fault("leader in 0 3")
            kafka.fault("leader out 1 3")
            time.sleep(1)
            kafka.fault("up 2")
            _, err = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        assert proc.returncode == 0, err
        out = _numbers(kafka.bootstrap, "out")
        missing, duplicates = _missing_and_duplicates(out, total)
        print(f"kafka faults: broker down 5 s, 2 leader moves, 15 request errors; {len(out)} records out, "
              f"missing {len(missing)}, duplicates {duplicates}")
        assert not missing, f"{len(missing)} records lost, e.g. {sorted(missing)[:5]}"
        assert duplicates == 0, "the idempotent producer wrote duplicates on retries"
        # The user is told what is wrong while it lasts.
        assert "Connection refused" in err or "Connect to" in err, err
        # ... in pipe's log format: librdkafka's own "%3|...|FAIL|" lines are routed through it.
        assert not re.search(r"^%\d\|", err, re.M), err


def test_kafka_sink_that_cannot_deliver_fails_and_the_rerun_loses_nothing():
    total = 5000
    with MockKafka(topics={"in": 4, "out": 4}, brokers=2) as kafka:
        d = tmpdir()
        produce_file(kafka.bootstrap, "in", _numbers_file(d, total))
        # Every partition of `out` is led by broker 2, which is down: nothing can be delivered.
        for partition in range(4):
            kafka.fault(f"leader in {partition} 1")
            kafka.fault(f"leader out {partition} 2")
        kafka.fault("down 2")
        _pipeline(d, kafka.bootstrap, sink_extra="\n    delivery_timeout: 3s")
        p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state"], timeout=90)
        assert p.returncode != 0, "pipe succeeded without delivering"
        assert "delivery to out partition" in p.stderr and "timed out" in p.stderr, p.stderr
        assert "is the partition's leader reachable?" in p.stderr, p.stderr
        # The failed run acknowledged nothing, so the input offsets stayed where they were: a rerun once the
        # broker is back delivers every record.
        kafka.fault("up 2")
        p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state"], timeout=90)
        assert p.returncode == 0, p.stderr
        out = _numbers(kafka.bootstrap, "out")
        print(f"kafka undeliverable: first run failed as it should; the rerun wrote {len(out)} of {total}")
        assert sorted(set(out)) == list(range(total))


def _lags(port):
    """pipe_kafka_consumer_lag per partition, from /metrics ({} while the server is not up yet)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
            metrics = r.read().decode()
    except OSError:
        return {}
    return {int(p): int(float(v)) for p, v in
            re.findall(r'^pipe_kafka_consumer_lag{[^}]*partition="(\d+)"[^}]*} (\S+)', metrics, re.M)}


def test_kafka_consumer_lag_per_partition_in_metrics():
    total = 4000
    with MockKafka(topics={"in": 4}) as kafka:
        d = tmpdir()
        # Keyed, so that every partition holds about a quarter.
        produce(kafka.bootstrap, "in", [f"k{i}|" + json.dumps({"n": i, "pad": "x" * 40}) for i in range(total)],
                key_delimiter="|")
        props = "".join(f"\n        {k}: \"{v}\"" for k, v in CONSUMER_PROPS.items())
        write(f"{d}/p.yaml", f"""
sources:
  in:
    type: kafka
    bootstrap_servers: {kafka.bootstrap}
    topics: [in]
    group_id: lag
    batch_size: 20
    properties:{props}
sinks:
  out: {{type: stdout, inputs: [in], format: json}}
""")
        port = free_port()
        # Nobody reads pipe's stdout at first: the sink blocks, the source stops reading, and the lag shows.
        proc = start_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--no-watch", "--http",
                           f"127.0.0.1:{port}"], stderr=subprocess.DEVNULL)
        try:
            wait_until(lambda: len(_lags(port)) == 4 and 0 < sum(_lags(port).values()) < total, timeout=40,
                       interval=0.3, what="a lag for each of the 4 partitions, behind the input")
            behind = _lags(port)
        finally:
            # Reading stdout unblocks the sink (also on the way out of a failure).
            drained = []
            reader = threading.Thread(target=lambda: drained.append(sum(1 for _ in proc.stdout)))
            reader.start()
        try:
            wait_until(lambda: _lags(port) == {0: 0, 1: 0, 2: 0, 3: 0}, timeout=40, interval=0.3,
                       what="every partition caught up once the sink could write")
        finally:
            proc.terminate()
            proc.wait(timeout=30)
            reader.join(timeout=30)
        print(f"kafka lag: {behind} while the sink was blocked, 0 on all 4 partitions after; "
              f"{drained[0] if drained else '?'} records written")
        assert drained and drained[0] == total


def test_kafka_secret_properties_never_appear_in_messages():
    with MockKafka(topics={"in": 1}) as kafka:
        d = tmpdir()
        _pipeline(d, kafka.bootstrap, source_extra="\n        sasl.password: hunter2-in-config"
                                                    "\n        no.such.password: hunter2-rejected")
        p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state"], timeout=60)
        assert p.returncode != 0, "an unknown librdkafka property was accepted"
        assert "no.such.password" in p.stderr and "value not shown: secret" in p.stderr, p.stderr
        assert "hunter2" not in p.stderr + p.stdout
        # pipe explain shows the configuration, secrets redacted.
        p = run_pipe(["explain", f"{d}/p.yaml"], timeout=60)
        assert "hunter2" not in p.stderr + p.stdout


def test_kafka_create_topic_without_admin_api_fails_clearly():
    with MockKafka(topics={"in": 1}) as kafka:
        produce(kafka.bootstrap, "in", [json.dumps({"n": 1})])
        d = tmpdir()
        _pipeline(d, kafka.bootstrap, out_topic="fresh",
                  sink_extra="\n    create_topic: {partitions: 3, replication_factor: 1, timeout: 2s}")
        started = time.time()
        p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state"], timeout=60)
        assert p.returncode != 0
        assert "create_topic fresh" in p.stderr and "create the topic beforehand" in p.stderr, p.stderr
        assert time.time() - started < 30


def test_kafka_clickstream_vip_actions_pipeline():
    """pipelines/clickstream-kafka.yaml: clicks joined with the users table, Platinum users' actions out."""
    pipeline = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                            "pipelines", "clickstream-kafka.yaml")
    with MockKafka(topics={"clickstream": 4, "users": 4, "vip_actions": 4}) as kafka:
        users = [f"{u}:" + json.dumps({"user_id": u, "level": "Platinum" if u % 4 == 0 else "Gold"})
                 for u in range(1, 41)]
        produce(kafka.bootstrap, "users", users, key_delimiter=":")
        d = tmpdir()
        with open(f"{d}/err.log", "w") as err:
            proc = start_pipe(["run", pipeline, "--state-dir", f"{d}/state"], env={"KAFKA_BOOTSTRAP": kafka.bootstrap},
                              stdout=subprocess.DEVNULL, stderr=err)
            try:
                wait_until(lambda: "source=users" in open(f"{d}/err.log").read(), timeout=30, what="users assigned")
                time.sleep(1.5)  # the table is read before the clicks arrive
                clicks = [json.dumps({"userid": 1 + i % 40, "page": f"/p{i}", "action": "view"}) for i in range(400)]
                produce(kafka.bootstrap, "clickstream", clicks)
                # 10 Platinum users (4, 8, ..., 40) x 10 clicks each.
                wait_until(lambda: count(kafka.bootstrap, "vip_actions") >= 100, timeout=30, interval=0.5,
                           what="100 vip actions")
            finally:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=30)
        out = consume(kafka.bootstrap, "vip_actions")
        assert len(out) == 100, f"{len(out)} vip actions"
        assert proc.returncode == 0, open(f"{d}/err.log").read()


def test_kafka_one_source_feeds_each_topic_to_its_own_sql_stream():
    """topics_from_records: one source reads three topics; users and clicks go to their own SQL streams and are
    joined; the third topic, which no statement reads, is a logged processing error, not a silent drop."""
    with MockKafka(topics={"clicks": 2, "users": 2, "noise": 1, "out": 1}) as kafka:
        produce(kafka.bootstrap, "users", [f"u{u}|" + json.dumps({"level": "gold" if u % 2 else "silver"})
                                           for u in range(10)], key_delimiter="|")
        produce(kafka.bootstrap, "noise", [json.dumps({"x": 1})])
        d = tmpdir()
        write(f"{d}/p.yaml", f"""
sources:
  in: {{type: kafka, bootstrap_servers: {kafka.bootstrap}, topics: [users, noise], group_id: g, assignment: all}}
  clicks: {{type: kafka, bootstrap_servers: {kafka.bootstrap}, topics: [clicks], group_id: g2, assignment: all}}
transforms:
  q:
    type: sql
    inputs: [in, clicks]
    topics_from_records: true
    sql: |
      CREATE TABLE users (id VARCHAR PRIMARY KEY, level VARCHAR) WITH (KAFKA_TOPIC='users', VALUE_FORMAT='JSON');
      CREATE STREAM clicks (id VARCHAR KEY, page VARCHAR) WITH (KAFKA_TOPIC='clicks', VALUE_FORMAT='JSON');
      CREATE STREAM gold AS SELECT c.id AS id, page FROM clicks c JOIN users u ON c.id = u.id WHERE level = 'gold';
sinks:
  out: {{type: kafka, inputs: [gold], bootstrap_servers: {kafka.bootstrap}, topic: out}}
""")
        with open(f"{d}/err.log", "w") as err:
            proc = start_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--no-watch"],
                              stdout=subprocess.DEVNULL, stderr=err)
            try:
                wait_until(lambda: "is read by no statement" in open(f"{d}/err.log").read(), timeout=30,
                           what="the noise record reported")
                time.sleep(1)  # the users table is read by now
                produce(kafka.bootstrap, "clicks", [f"u{i % 10}|" + json.dumps({"page": f"/p{i}"}) for i in range(100)],
                        key_delimiter="|")
                wait_until(lambda: count(kafka.bootstrap, "out") >= 50, timeout=30, interval=0.5, what="50 joined")
            finally:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=30)
        assert proc.returncode == 0, open(f"{d}/err.log").read()
        assert len(consume(kafka.bootstrap, "out")) == 50  # the 5 gold users' 10 clicks each
        assert "a record of topic 'noise' (partition 0, offset 0) is read by no statement" in open(f"{d}/err.log").read()


def test_kafka_exactly_once_under_sigkill_on_a_real_cluster():
    bootstrap = os.environ.get("PIPE_TEST_KAFKA_BOOTSTRAP")
    if not bootstrap:
        raise Skip("no real Kafka cluster: set PIPE_TEST_KAFKA_BOOTSTRAP")
    total = 50000
    run = uuid.uuid4().hex[:8]
    in_topic, out_topic = f"pipe-eos-in-{run}", f"pipe-eos-out-{run}"
    d = tmpdir()
    produce_file(bootstrap, in_topic, _numbers_file(d, total))
    _pipeline(d, bootstrap, in_topic=in_topic, out_topic=out_topic, group=f"pipe-eos-{run}",
              sink_extra="\n    guarantee: exactly_once\n    transaction_max_records: 2000"
                         "\n    create_topic: {partitions: 4, replication_factor: 1}")
    args = ["run", f"{d}/p.yaml", "--state-dir", f"{d}/state"]
    rng = random.Random(11)
    committed = ["-X", "isolation.level=read_committed"]
    for _ in range(5):
        proc = start_pipe(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(3.0, 8.0))
        if proc.poll() is not None:
            break
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    p = run_pipe(args, timeout=300)
    assert p.returncode == 0, p.stderr
    out = [json.loads(v)["n"] for v in consume(bootstrap, out_topic, extra=committed)]
    assert len(set(out)) == total, f"missing {total - len(set(out))}"
    assert len(out) == total, f"{len(out) - total} duplicates under exactly_once"
