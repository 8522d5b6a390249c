"""Retries and readiness (issue 17, item 6): /readyz answers 503 naming the connector whose server is down, and
200 once it is back; a sink whose target is down at start retries, then delivers everything."""
import json
import subprocess
import urllib.error
import urllib.request

from harness import free_port, start_pipe, tmpdir, wait_until, write
from kafka import MockKafka, consume, produce

CONSUMER_PROPS = '\n      session.timeout.ms: "6000"\n      heartbeat.interval.ms: "500"'


def _readyz(port):
    """(status, body) of /readyz; (0, reason) when nothing answers."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
    except OSError as e:
        return 0, str(e)


def _stop(proc):
    proc.terminate()
    try:
        return proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        return proc.communicate()


def test_readyz_names_a_kafka_source_while_every_broker_is_down_and_recovers():
    with MockKafka(topics={"in": 2}, brokers=1) as kafka:
        d = tmpdir()
        write(f"{d}/p.yaml", f"""
sources:
  orders:
    type: kafka
    bootstrap_servers: {kafka.bootstrap}
    topics: [in]
    group_id: readyz
    properties:{CONSUMER_PROPS}
sinks:
  out: {{type: file, inputs: [orders], path: {d}/out.jsonl, format: json}}
""")
        port = free_port()
        proc = start_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--no-watch", "--http",
                           f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL)
        try:
            wait_until(lambda: _readyz(port)[0] == 200, timeout=30, interval=0.2, what="/readyz 200 at start")
            kafka.fault("down 1")
            wait_until(lambda: _readyz(port)[0] == 503, timeout=60, interval=0.3,
                       what="/readyz 503 while the only broker is down")
            status, body = _readyz(port)
            assert "source orders" in body and "broker" in body, body
            kafka.fault("up 1")
            wait_until(lambda: _readyz(port)[0] == 200, timeout=60, interval=0.3,
                       what="/readyz 200 once the broker is back")
            produce(kafka.bootstrap, "in", [json.dumps({"n": i}) for i in range(100)])
            wait_until(lambda: len(open(f"{d}/out.jsonl").read().splitlines()) == 100 if
                       __import__("os").path.exists(f"{d}/out.jsonl") else False,
                       timeout=60, interval=0.3, what="the records produced after the outage")
        finally:
            _, err = _stop(proc)
        assert proc.returncode == 0, err
        print(f"readyz: 200 -> 503 naming 'source orders' while the broker was down -> 200; {body.strip()!r}")


def test_a_kafka_sink_whose_brokers_are_down_at_start_waits_then_delivers_everything():
    total = 3000
    with MockKafka(topics={"out": 3}, brokers=1) as kafka:
        kafka.fault("down 1")
        d = tmpdir()
        with open(f"{d}/in.jsonl", "w") as f:
            for i in range(total):
                f.write(json.dumps({"n": i}) + "\n")
        write(f"{d}/p.yaml", f"""
sources:
  numbers: {{type: file, path: {d}/in.jsonl, format: json}}
sinks:
  out:
    type: kafka
    inputs: [numbers]
    bootstrap_servers: {kafka.bootstrap}
    topic: out
    retry: {{initial_backoff: 100ms, max_backoff: 1s}}
""")
        port = free_port()
        proc = start_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--no-watch", "--http",
                           f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL)
        try:
            wait_until(lambda: _readyz(port)[0] == 503 and "sink out" in _readyz(port)[1], timeout=60,
                       interval=0.3, what="/readyz 503 naming the sink while its brokers are down")
            assert proc.poll() is None, "pipe gave up while the target was down"
            kafka.fault("up 1")
            _, err = proc.communicate(timeout=120)
        finally:
            if proc.poll() is None:
                _stop(proc)
        assert proc.returncode == 0, err
        out = [json.loads(v)["n"] for v in consume(kafka.bootstrap, "out")]
        print(f"kafka sink down at start: {len(out)} of {total} delivered after the broker came back")
        assert sorted(out) == list(range(total))
