"""The syslog source through the binary (issue 26, item 2): util-linux `logger` sends over UDP and TCP, newline and
octet-counted framing, RFC 3164 and RFC 5424 with structured data, and the fields arrive; a malformed line is
kept with parse_error, or dead-lettered when on_error says so; the syslog-alerts pipeline's test file passes."""
import json
import os
import shutil
import socket
import ssl
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


# --- TLS (RFC 5425) ---------------------------------------------------------------------------------------------

def _make_pki(d):
    """A throw-away CA, a server certificate for 127.0.0.1 and a client certificate, all signed by the CA."""
    if shutil.which("openssl") is None:
        raise Skip("openssl is not installed")
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]

    def run(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True, timeout=30)

    run("req", "-x509", *ec, "-days", "1", "-subj", "/CN=pipe test CA", "-keyout", f"{d}/ca.key",
        "-out", f"{d}/ca.pem")
    for name, ext in (("server", "subjectAltName=IP:127.0.0.1"), ("client", "extendedKeyUsage=clientAuth")):
        run("req", *ec, "-subj", f"/CN={name}", "-keyout", f"{d}/{name}.key", "-out", f"{d}/{name}.csr")
        write(f"{d}/{name}.ext", ext + "\n")
        run("x509", "-req", "-in", f"{d}/{name}.csr", "-CA", f"{d}/ca.pem", "-CAkey", f"{d}/ca.key",
            "-CAcreateserial", "-days", "1", "-extfile", f"{d}/{name}.ext", "-out", f"{d}/{name}.pem")
    return d


class TlsSyslogRun(SyslogRun):
    """A syslog source with `tls` (and with ca_file when mutual), and clients that speak TLS to it."""

    def __init__(self, mutual=False):
        self.pki = _make_pki(tmpdir())
        ca = f", ca_file: {self.pki}/ca.pem" if mutual else ""
        tls = f"{{cert_file: {self.pki}/server.pem, key_file: {self.pki}/server.key{ca}}}"
        super().__init__("tcp", extra=f"\n    tls: {tls}")

    def client_context(self, with_certificate=True):
        context = ssl.create_default_context(cafile=f"{self.pki}/ca.pem")
        if with_certificate:
            context.load_cert_chain(f"{self.pki}/client.pem", f"{self.pki}/client.key")
        return context

    def connect(self, with_certificate=True):
        raw = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        return self.client_context(with_certificate).wrap_socket(raw, server_hostname="127.0.0.1")


def _octet_counted(message):
    data = message.encode()
    return str(len(data)).encode() + b" " + data


def test_tls_octet_counted_rfc5424_and_newline_rfc3164():
    run = TlsSyslogRun()
    try:
        with run.connect() as s:
            first = _octet_counted('<165>1 2026-12-05T06:00:00.123Z web1 billing 4242 ID47 [zoo@32473 tiger="hungry"] '
                                   "payment failed")
            second = _octet_counted("<14>1 2026-12-05T06:00:01Z web1 cron - - - job\ndone")  # a newline inside
            s.sendall(first[:10])  # a frame split across TLS records
            time.sleep(0.1)
            s.sendall(first[10:] + second)
        with run.connect() as s:
            s.sendall(b"<38>Oct 11 22:14:15 mymachine sshd[77]: Invalid user admin\n<13>Oct 11 22:14:16 mymachine x: y\n")
        records = run.records(4)
        failures = run.metric("pipe_syslog_tls_handshake_failures_total")
    finally:
        run.stop()
    by_message = {r["message"]: r for r in records}
    billing = by_message["payment failed"]
    assert (billing["host"], billing["app"], billing["procid"], billing["msgid"]) == ("web1", "billing", "4242", "ID47")
    assert (billing["facility_name"], billing["severity_name"]) == ("local4", "notice"), billing
    assert billing["structured_data"] == {"zoo@32473": {"tiger": "hungry"}}, billing
    assert billing["timestamp"] == 1796450400123, billing
    assert by_message["job\ndone"]["app"] == "cron"
    sshd = by_message["Invalid user admin"]
    assert (sshd["host"], sshd["app"], sshd["procid"], sshd["facility_name"], sshd["severity_name"]) == \
        ("mymachine", "sshd", "77", "auth", "info"), sshd
    assert "y" in by_message and all("parse_error" not in r for r in records), records
    assert failures == 0


def test_tls_refuses_a_plaintext_client_without_disturbing_a_tls_client():
    run = TlsSyslogRun()
    try:
        with run.connect() as tls_client:
            tls_client.sendall(_octet_counted("<13>1 - h a - - - before"))
            run.records(1)
            with socket.create_connection(("127.0.0.1", run.port), timeout=10) as plain:
                plain.sendall(b"<13>1 - h a - - - plaintext\n")
                try:
                    assert plain.recv(100) == b"", "the server answered a plaintext client with data"
                except ConnectionResetError:
                    pass
            tls_client.sendall(_octet_counted("<13>1 - h a - - - after"))
            records = run.records(2)
        wait_until(lambda: run.metric("pipe_syslog_tls_handshake_failures_total") == 1, what="the failure counted")
        time.sleep(0.3)
        records = run.records(2)
    finally:
        err = run.stop()
    assert [r["message"] for r in records] == ["before", "after"], records
    assert "TLS handshake failed" in err and "wrong version number" in err, err


def test_tls_failed_handshakes_are_all_counted_and_warned_about_once_per_10_seconds():
    run = TlsSyslogRun()
    try:
        for _ in range(20):  # a scanner, or a sender misconfigured without TLS, retrying in a loop
            with socket.create_connection(("127.0.0.1", run.port), timeout=10) as plain:
                plain.sendall(b"<13>1 - h a - - - plaintext\n")
                try:
                    plain.recv(100)
                except ConnectionResetError:
                    pass
        wait_until(lambda: run.metric("pipe_syslog_tls_handshake_failures_total") == 20, what="20 failures counted")
    finally:
        err = run.stop()
    assert err.count("TLS handshake failed") == 1, err


def test_tls_with_ca_file_refuses_a_client_without_a_certificate():
    run = TlsSyslogRun(mutual=True)
    try:
        with run.connect(with_certificate=False) as anonymous:
            # TLS 1.3: the client's handshake ends before the server checks it; the refusal comes as an alert.
            try:
                anonymous.sendall(_octet_counted("<13>1 - h a - - - anonymous"))
                assert anonymous.recv(100) == b""
            except (ssl.SSLError, ConnectionResetError, BrokenPipeError):
                pass
        with run.connect() as signed:
            signed.sendall(_octet_counted("<13>1 - h a - - - signed"))
        records = run.records(1)
        wait_until(lambda: run.metric("pipe_syslog_tls_handshake_failures_total") == 1, what="the failure counted")
        time.sleep(0.3)
        records = run.records(1)
    finally:
        run.stop()
    assert [r["message"] for r in records] == ["signed"], records


def test_tls_a_stalled_handshake_does_not_block_other_connections():
    run = TlsSyslogRun()
    try:
        # Half a real ClientHello, then silence: the server waits for the rest on this connection only.
        hello = ssl.MemoryBIO()
        client = run.client_context().wrap_bio(ssl.MemoryBIO(), hello, server_hostname="127.0.0.1")
        try:
            client.do_handshake()
        except ssl.SSLWantReadError:
            pass
        client_hello = hello.read()
        with socket.create_connection(("127.0.0.1", run.port), timeout=10) as stalled, \
                socket.create_connection(("127.0.0.1", run.port), timeout=10) as silent:
            stalled.sendall(client_hello[: len(client_hello) // 2])
            started = time.monotonic()
            with run.connect() as s:
                s.sendall(_octet_counted("<13>1 - h a - - - through"))
                [r] = run.records(1)
            assert time.monotonic() - started < 5, "a stalled handshake held up another connection"
    finally:
        run.stop()
    assert r["message"] == "through"


def test_tls_is_refused_with_udp():
    d = _make_pki(tmpdir())
    write(f"{d}/p.yaml", f"""
sources:
  logs:
    type: syslog
    protocol: udp
    tls: {{cert_file: {d}/server.pem, key_file: {d}/server.key}}
sinks:
  out: {{type: stdout, inputs: [logs]}}
""")
    p = run_pipe(["validate", f"{d}/p.yaml"])
    assert p.returncode != 0 and "DTLS" in p.stdout + p.stderr, p.stdout + p.stderr


RSYSLOG_FORWARDER = """
global(workDirectory="{d}/rsyslog" defaultNetstreamDriver="gtls"
       defaultNetstreamDriverCAFile="{d}/ca.pem"
       defaultNetstreamDriverCertFile="{d}/client.pem" defaultNetstreamDriverKeyFile="{d}/client.key")
module(load="imtcp")
input(type="imtcp" address="127.0.0.1" port="{input_port}")
action(type="omfwd" target="127.0.0.1" port="{pipe_port}" protocol="tcp" TCP_Framing="octet-counted"
       StreamDriver="gtls" StreamDriverMode="1" StreamDriverAuthMode="x509/certvalid"
       template="RSYSLOG_SyslogProtocol23Format")
"""


def test_tls_from_rsyslog_omfwd_with_client_certificate():
    """rsyslog's forwarder (omfwd, GnuTLS driver, octet-counted, with its client certificate) into pipe's TLS
    port with ca_file: what logger sends to rsyslog arrives with its fields."""
    if shutil.which("rsyslogd") is None or not any(
            os.path.exists(f"/usr/lib/{d}/rsyslog/lmnsd_gtls.so") for d in ("x86_64-linux-gnu", "aarch64-linux-gnu")):
        raise Skip("rsyslog with its GnuTLS driver (rsyslog-gnutls) is not installed")
    run = TlsSyslogRun(mutual=True)
    d = run.pki
    os.makedirs(f"{d}/rsyslog")
    input_port = free_port()
    write(f"{d}/rsyslog.conf", RSYSLOG_FORWARDER.format(d=d, input_port=input_port, pipe_port=run.port))
    rsyslog = subprocess.Popen(["rsyslogd", "-n", "-f", f"{d}/rsyslog.conf", "-i", f"{d}/rsyslog/pid"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        def listening():
            assert rsyslog.poll() is None, rsyslog.communicate()[1]
            try:
                socket.create_connection(("127.0.0.1", input_port), timeout=1).close()
                return True
            except OSError:
                return False
        wait_until(listening, timeout=20, what="rsyslogd to listen")
        subprocess.run(["logger", "--server", "127.0.0.1", "--port", str(input_port), "--tcp", "--rfc5424",
                        "-t", "sshd", "--id=77", "-p", "authpriv.warning", "Invalid user admin from 203.0.113.9"],
                       check=True, timeout=10)
        subprocess.run(["logger", "--server", "127.0.0.1", "--port", str(input_port), "--tcp", "--rfc3164",
                        "-t", "cron", "-p", "cron.info", "job done"], check=True, timeout=10)
        records = run.records(2)
        failures = run.metric("pipe_syslog_tls_handshake_failures_total")
    finally:
        rsyslog.terminate()
        rsyslog.communicate(timeout=30)
        run.stop()
    by_app = {r["app"]: r for r in records}
    sshd, cron = by_app["sshd"], by_app["cron"]
    assert (sshd["procid"], sshd["facility_name"], sshd["severity_name"]) == ("77", "authpriv", "warning"), sshd
    assert sshd["message"] == "Invalid user admin from 203.0.113.9", sshd
    # rsyslog's msg property of an RFC 3164 message keeps the space after "cron:", and its RFC 5424 template sends it.
    assert (cron["facility"], cron["severity"], cron["message"]) == (9, 6, " job done"), cron
    assert failures == 0
