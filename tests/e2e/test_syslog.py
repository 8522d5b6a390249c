"""The syslog source through the binary (issue 26, item 2): util-linux `logger` sends over UDP and TCP, newline and
octet-counted framing, RFC 3164 and RFC 5424 with structured data, and the fields arrive; a malformed line is
kept with parse_error, or dead-lettered when on_error says so; the syslog-alerts pipeline's test file passes."""
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request

from harness import ROOT, Skip, free_port, read_lines, run_pipe, start_pipe, tmpdir, wait_until, write
from webhook_receiver import WebhookReceiver


class SyslogRun:
    """`pipe run` of syslog -> file on a free port, with --http for readiness and /metrics."""

    def __init__(self, protocol="tcp", extra=""):
        if shutil.which("logger") is None:
            raise Skip("util-linux logger is not installed")
        self.dir = tmpdir()
        self.port = free_port()
        self.http = free_port()
        self.out = f"{self.dir}/out.jsonl"
        write(f"{self.dir}/p.yaml", f"""
sources:
  logs:
    type: syslog
    address: 127.0.0.1:{self.port}
    protocol: {protocol}{extra}
sinks:
  out: {{type: file, inputs: [logs], path: {self.out}, format: jsonl, flush_interval: 50ms}}
""")
        self.proc = start_pipe(["run", f"{self.dir}/p.yaml", "--state-dir", f"{self.dir}/state",
                                "--http", f"127.0.0.1:{self.http}"])
        wait_until(self._ready, timeout=20, what="the syslog source to listen")

    def _ready(self):
        assert self.proc.poll() is None, self.proc.communicate()[1]
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.http}/readyz", timeout=2) as r:
                return r.status == 200
        except OSError:
            return False

    def logger(self, *args):
        subprocess.run(["logger", "--server", "127.0.0.1", "--port", str(self.port), *args], check=True, timeout=10)

    def records(self, n, timeout=20):
        wait_until(lambda: len(read_lines(self.out)) >= n, timeout=timeout, what=f"{n} records in {self.out}")
        return [json.loads(l) for l in read_lines(self.out)]

    def metric(self, name):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.http}/metrics", timeout=2) as r:
            for line in r.read().decode().splitlines():
                if line.startswith(name + "{"):
                    return int(float(line.split()[-1]))
        return None

    def stop(self):
        self.proc.terminate()
        _, err = self.proc.communicate(timeout=30)
        assert self.proc.returncode == 0, err
        return err


def _hostnames():
    return {socket.gethostname(), socket.getfqdn(), socket.gethostname().split(".")[0]}


def test_logger_tcp_rfc5424_with_structured_data():
    run = SyslogRun("tcp")
    try:
        run.logger("--tcp", "--rfc5424", "-t", "billing", "--id=4242", "--msgid", "ID47", "-p", "local4.warning",
                   "--sd-id", "zoo@32473", "--sd-param", 'tiger="hungry"', "--sd-param", 'lion="a \\"big\\" one"',
                   "payment failed for order 17")
        [r] = run.records(1)
    finally:
        run.stop()
    assert r["app"] == "billing" and r["procid"] == "4242" and r["msgid"] == "ID47", r
    assert (r["facility"], r["facility_name"], r["severity"], r["severity_name"]) == (20, "local4", 4, "warning"), r
    assert r["host"] in _hostnames(), r
    assert r["message"] == "payment failed for order 17", r
    assert r["structured_data"]["zoo@32473"] == {"tiger": "hungry", "lion": 'a "big" one'}, r
    assert abs(r["timestamp"] / 1000 - time.time()) < 60, r
    assert "parse_error" not in r


def test_logger_tcp_octet_counting_rfc3164_and_rfc5424():
    run = SyslogRun("tcp")
    try:
        run.logger("--tcp", "--octet-count", "--rfc3164", "-t", "sshd", "--id=77", "-p", "authpriv.info",
                   "Invalid user admin from 203.0.113.9 port 22")
        run.logger("--tcp", "--octet-count", "--rfc5424", "-t", "cron", "-p", "cron.notice", "job done")
        records = run.records(2)
    finally:
        run.stop()
    by_app = {r["app"]: r for r in records}
    sshd, cron = by_app["sshd"], by_app["cron"]
    assert sshd["procid"] == "77" and sshd["msgid"] is None, sshd
    assert (sshd["facility_name"], sshd["severity_name"]) == ("authpriv", "info"), sshd
    assert sshd["message"] == "Invalid user admin from 203.0.113.9 port 22", sshd
    assert sshd["host"] in _hostnames(), sshd
    # RFC 3164 has seconds only, read in the receiver's year and zone.
    assert abs(sshd["timestamp"] / 1000 - time.time()) < 60, sshd
    assert (cron["facility"], cron["severity"], cron["message"]) == (9, 5, "job done"), cron
    assert cron["structured_data"]["timeQuality"]["tzKnown"] == "1", cron  # logger adds timeQuality


def test_logger_udp_rfc3164_and_rfc5424():
    run = SyslogRun("udp")
    try:
        run.logger("--udp", "--rfc3164", "-t", "kernel", "-p", "local0.err", "disk sda failing")
        run.logger("--udp", "--rfc5424", "-t", "web", "-p", "user.debug", "GET / 200")
        records = run.records(2)
        dropped = run.metric("pipe_syslog_dropped_datagrams_total")
    finally:
        run.stop()
    by_app = {r["app"]: r for r in records}
    assert (by_app["kernel"]["facility"], by_app["kernel"]["severity_name"]) == (16, "err"), records
    assert by_app["kernel"]["message"] == "disk sda failing", records
    assert (by_app["web"]["facility_name"], by_app["web"]["severity"], by_app["web"]["message"]) == \
        ("user", 7, "GET / 200"), records
    assert dropped == 0


def test_a_malformed_line_is_kept_with_parse_error():
    run = SyslogRun("tcp")
    try:
        with socket.create_connection(("127.0.0.1", run.port)) as s:
            s.sendall(b"<13>1 2026-12-05T06:00:00Z h a - - - fine\nthis is not syslog\n"
                      b"<13>1 2026-13-05T06:00:00Z h a - - - x\n")
        records = run.records(3)
        malformed = run.metric("pipe_syslog_malformed_total")
    finally:
        run.stop()
    assert records[0]["message"] == "fine" and records[0]["timestamp"] == 1796450400000, records[0]
    assert records[1]["message"] == "this is not syslog", records[1]
    assert records[1]["parse_error"] == "byte 0: expected '<' and a priority", records[1]
    assert records[2]["parse_error"].startswith("byte 6: expected a date"), records[2]
    assert records[2]["host"] is None and records[2]["timestamp"] > 0
    assert malformed == 2


def test_on_error_dead_letter_takes_malformed_lines():
    dead = tmpdir() + "/dead.jsonl"
    run = SyslogRun("tcp", extra=f"\n    on_error: dead_letter\n    dead_letter_path: {dead}")
    try:
        with socket.create_connection(("127.0.0.1", run.port)) as s:
            s.sendall(b"garbage one\n<14>1 - h a - - - kept\n")
        [r] = run.records(1)
        wait_until(lambda: len(read_lines(dead)) == 1, what="the dead letter")
    finally:
        run.stop()
    assert r["message"] == "kept"
    [letter] = [json.loads(l) for l in read_lines(dead)]
    assert letter["stage"] == "decode" and "expected '<'" in letter["error"]["message"], letter


def test_syslog_alerts_pipeline_test_file():
    p = run_pipe(["test", os.path.join(ROOT, "pipelines", "syslog-alerts.test.yaml")], timeout=60)
    assert p.returncode == 0, p.stdout + p.stderr


def test_syslog_alerts_pipeline_with_logger():
    """pipelines/syslog-alerts.yaml on a free port: exactly the Invalid user lines sent by logger become alerts."""
    if shutil.which("logger") is None:
        raise Skip("util-linux logger is not installed")
    d = tmpdir()
    port, http = free_port(), free_port()
    receiver = WebhookReceiver().start()
    text = open(os.path.join(ROOT, "pipelines", "syslog-alerts.yaml")).read()
    text = text.replace("127.0.0.1:5514", f"127.0.0.1:{port}")
    text = text.replace("syslog-alerts.dlq.jsonl", f"{d}/alerts.dlq.jsonl")
    write(f"{d}/p.yaml", text)
    proc = start_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--http", f"127.0.0.1:{http}"],
                      env={**os.environ, "SLACK_WEBHOOK_URL": receiver.url()})
    try:
        def ready():
            assert proc.poll() is None, proc.communicate()[1]
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{http}/readyz", timeout=2) as r:
                    return r.status == 200
            except OSError:
                return False
        wait_until(ready, timeout=20, what="the pipeline to start")
        lines = ["Invalid user admin from 203.0.113.7 port 52214", "Accepted publickey for deploy",
                 "Invalid user oracle from 198.51.100.23 port 40022", "session closed"]
        for line in lines:
            subprocess.run(["logger", "--server", "127.0.0.1", "--port", str(port), "--tcp", "-t", "sshd", line],
                           check=True, timeout=10)
        wait_until(lambda: len(receiver.delivered()) >= 2, what="two alerts posted to the webhook")
        time.sleep(0.5)  # nothing else follows
    finally:
        proc.terminate()
        proc.communicate(timeout=30)
        receiver.stop()
    alerts = [json.loads(r["body"])["text"] for r in receiver.delivered()]
    assert len(alerts) == 2 and alerts[0].endswith(": " + lines[0]) and alerts[1].endswith(": " + lines[2]), alerts
    assert all(a.split(": ", 1)[0].removeprefix("Invalid user on ") in _hostnames() for a in alerts), alerts
