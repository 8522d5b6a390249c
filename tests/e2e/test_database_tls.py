"""The shared `tls` option on the database connectors, against real servers that accept TLS connections only
(tests/support/databases.py, tls=True: a throw-away CA made with openssl, PostgreSQL with `hostssl` lines only,
MariaDB with require_secure_transport=ON): postgres_cdc, the postgres sink, mysql_cdc and the mysql sink deliver
rows when they
verify the server against the test CA; a CA that did not sign the server's certificate fails at once with one line
that names the source or sink and TLS; without `tls` the TLS-only server is not reached, and with `tls` a server
without TLS is refused instead of used in plaintext. The TLS servers are private to this file (started on first
use, a few seconds each), so the other tests keep the plain shared ones."""
import atexit
import json
import os
import signal

import databases
from harness import read_lines, run_pipe, start_pipe, tmpdir, wait_until, write

_servers = {}


def _tls_server(kind):
    """This file's TLS-only server of `kind` ("postgres" or "mariadb"), started on first use."""
    if kind not in _servers:
        start = databases.start_postgres if kind == "postgres" else databases.start_mariadb
        _servers[kind] = start(tls=True)
    return _servers[kind]


@atexit.register
def _stop_servers():
    for server in _servers.values():
        server.stop()


def _tls(ca_file, extra=""):
    return f"{{ca_file: {ca_file}{extra}}}"


def _run(d, yaml_text):
    write(f"{d}/p.yaml", yaml_text)
    return start_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--no-watch"])


def _run_to_end(d, yaml_text, timeout=60):
    write(f"{d}/p.yaml", yaml_text)
    return run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--no-watch"], timeout=timeout)


def _stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    return err


def _ids(path):
    return sorted(json.loads(line)["id"] for line in read_lines(path))


def _cdc_yaml(d, pg, slot, table, tls):
    return f"""
sources:
  db:
    type: postgres_cdc
    dsn: "{pg.url}"
    slot: {slot}
    tables: [public.{table}]
    envelope: row
    tls: {tls}
sinks:
  out: {{type: file, inputs: [db], path: {d}/out.jsonl, format: jsonl, flush_interval: 100ms}}
"""


def _one_line_failure(p, server, *expected):
    """pipe ended non-zero (not by a signal: no crash) with an error line holding every `expected` text and not
    the server's password."""
    assert p.returncode not in (0, None) and p.returncode > 0, f"pipe exited {p.returncode}:\n{p.stderr}"
    lines = [l for l in p.stderr.splitlines() if all(e in l for e in expected)]
    assert lines, f"no line with {expected}:\n{p.stderr}"
    # The temporary folders' names may contain the test password: the error line is what must not.
    assert all(server.password not in l for l in lines), lines
    return lines[0]


def test_postgres_cdc_over_tls_verified_against_the_test_ca_delivers_rows_on_encrypted_sessions():
    pg = _tls_server("postgres")
    pg.sql("CREATE TABLE tls_cdc (id int PRIMARY KEY, name text)")
    d = tmpdir()
    proc = _run(d, _cdc_yaml(d, pg, "tls_cdc", "tls_cdc", _tls(pg.certificates.ca_file)))
    try:
        wait_until(lambda: proc.poll() is not None or pg.value(
            "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'tls_cdc' AND active") == "1",
            timeout=30, what="the slot streaming")
        assert proc.poll() is None, _stop(proc)
        pg.sql("INSERT INTO tls_cdc SELECT i, 'n' || i FROM generate_series(1, 50) i")
        wait_until(lambda: len(read_lines(f"{d}/out.jsonl")) >= 50, timeout=30, what="50 rows")
        # Every session pipe holds (the walsender among them) is encrypted, as the server itself reports.
        sessions = pg.sql("SELECT a.backend_type, s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a USING (pid) "
                          "WHERE a.application_name = 'pipe'")
        assert sessions and all(ssl == "t" for _, ssl in sessions), sessions
        assert any(kind == "walsender" for kind, _ in sessions), sessions
    finally:
        err = _stop(proc)
    assert proc.returncode == 0, err
    assert _ids(f"{d}/out.jsonl") == list(range(1, 51))
    print(f"    50 rows over TLS (verify-full against the test CA); {len(sessions)} pipe session(s), all encrypted")


def _sink_yaml(d, url, tls):
    return f"""
sources:
  in: {{type: file, path: {d}/in.jsonl, format: json}}
sinks:
  out: {{type: postgres, inputs: [in], dsn: "{url}", table: public.tls_sink, tls: {tls}}}
"""


def test_postgres_sink_and_query_source_over_tls_with_a_client_certificate():
    pg = _tls_server("postgres")
    certs = pg.certificates
    # The role of databases.CLIENT_CERT_ROLE must show a client certificate the test CA signed (clientcert=verify-ca).
    role = databases.CLIENT_CERT_ROLE
    pg.sql(f"CREATE TABLE tls_sink (id int PRIMARY KEY, name text); CREATE ROLE {role} LOGIN PASSWORD 'cert-pw';"
           f"GRANT ALL ON tls_sink TO {role}")
    url = f"postgres://{role}:cert-pw@127.0.0.1:{pg.port}/{pg.database}"
    d = tmpdir()
    write(f"{d}/in.jsonl", "".join(json.dumps({"id": i, "name": f"n{i}"}) + "\n" for i in range(1, 101)))
    p = _run_to_end(d, _sink_yaml(d, url, _tls(certs.ca_file)))
    _one_line_failure(p, pg, "out", "connection requires a valid client certificate")
    tls = _tls(certs.ca_file, f", cert_file: {certs.client_cert}, key_file: {certs.client_key}")
    p = _run_to_end(d, _sink_yaml(d, url, tls))
    assert p.returncode == 0, p.stderr
    assert pg.value("SELECT count(*) || ' ' || min(id) || '-' || max(id) FROM tls_sink") == "100 1-100"
    # The postgres query source reads them back over the same TLS settings.
    d = tmpdir()
    p = _run_to_end(d, f"""
sources:
  rows: {{type: postgres, dsn: "{url}", table: public.tls_sink, mode: bulk, once: true, tls: {tls}}}
sinks:
  out: {{type: file, inputs: [rows], path: {d}/out.jsonl, format: jsonl}}
""")
    assert p.returncode == 0, p.stderr
    assert _ids(f"{d}/out.jsonl") == list(range(1, 101))
    print("    100 rows written and read back with a client certificate; without it the server refused the login")


def test_a_ca_that_did_not_sign_the_server_fails_at_once_naming_the_connector_and_tls():
    pg = _tls_server("postgres")
    d = tmpdir()
    p = _run_to_end(d, _cdc_yaml(d, pg, "tls_wrong_ca", "tls_nothing", _tls(pg.certificates.wrong_ca_file)),
                    timeout=40)
    line = _one_line_failure(p, pg, "db", "certificate verify failed", "tls")
    d = tmpdir()
    write(f"{d}/in.jsonl", '{"id": 1}\n')
    p = _run_to_end(d, _sink_yaml(d, pg.url, _tls(pg.certificates.wrong_ca_file)), timeout=40)
    sink_line = _one_line_failure(p, pg, "out", "certificate verify failed", "tls")
    print("    " + line[:160] + "\n    " + sink_line[:160])


def test_without_tls_a_tls_only_server_is_not_reached_and_with_tls_a_plaintext_server_is_refused():
    pg = _tls_server("postgres")
    d = tmpdir()
    p = _run_to_end(d, _cdc_yaml(d, pg, "tls_plain", "tls_nothing", "null").replace(
        f'dsn: "{pg.url}"', f'dsn: "{pg.url}?sslmode=disable"').replace("    tls: null\n", ""), timeout=40)
    _one_line_failure(p, pg, "no pg_hba.conf entry", "no encryption")
    plain = databases.postgres()  # the shared server, without TLS
    d = tmpdir()
    p = _run_to_end(d, _cdc_yaml(d, plain, "tls_refused", "tls_nothing", "{verify: false}"), timeout=40)
    _one_line_failure(p, plain, "db", "server does not support SSL")


def _mysql_yaml(d, db, tls_line, dsn=None):
    return f"""
sources:
  db:
    type: mysql_cdc
    dsn: {dsn or db.url}
    tables: [pipe.tls_binlog]
    envelope: row
    heartbeat_interval: 1s{tls_line}
sinks:
  out: {{type: file, inputs: [db], path: {d}/out.jsonl, format: jsonl, flush_interval: 100ms}}
"""


def test_mysql_cdc_over_tls_delivers_binlog_rows_from_a_server_that_refuses_plaintext():
    db = _tls_server("mariadb")
    db.sql("CREATE TABLE tls_binlog (id INT PRIMARY KEY, name VARCHAR(20))")
    # require_secure_transport=ON: the same pipeline without tls is refused (MariaDB says "Access denied"), so the
    # rows below came over TLS.
    d = tmpdir()
    p = _run_to_end(d, _mysql_yaml(d, db, ""), timeout=40)
    _one_line_failure(p, db, "db", "Access denied", "require_secure_transport=ON answers so too")
    # A replica user that must show a client certificate the CA signed (REQUIRE X509): refused with ca_file alone.
    certs = db.certificates
    db.sql("CREATE USER IF NOT EXISTS 'pipe_x509'@'127.0.0.1' IDENTIFIED BY 'x509-pw' REQUIRE X509;"
           "GRANT SELECT, RELOAD, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'pipe_x509'@'127.0.0.1'")
    x509 = f"mysql://pipe_x509:x509-pw@127.0.0.1:{db.port}/{db.database}"
    d = tmpdir()
    p = _run_to_end(d, _mysql_yaml(d, db, f"\n    tls: {_tls(certs.ca_file)}", x509), timeout=40)
    _one_line_failure(p, db, "db", "Access denied")
    d = tmpdir()
    tls = _tls(certs.ca_file, f", cert_file: {certs.client_cert}, key_file: {certs.client_key}")
    proc = _run(d, _mysql_yaml(d, db, f"\n    tls: {tls}", x509))
    try:
        wait_until(lambda: proc.poll() is not None or os.path.exists(f"{d}/state/checkpoints/db.json"), timeout=30,
                   what="the source reading the binlog")
        assert proc.poll() is None, _stop(proc)
        db.sql("INSERT INTO tls_binlog VALUES " + ", ".join(f"({i}, 'n{i}')" for i in range(1, 41)))
        wait_until(lambda: len(read_lines(f"{d}/out.jsonl")) >= 40, timeout=30, what="40 binlog rows")
    finally:
        err = _stop(proc)
    assert proc.returncode == 0, err
    assert _ids(f"{d}/out.jsonl") == list(range(1, 41))
    print("    40 binlog rows over TLS with a client certificate; without tls, or without the certificate, the "
          "server refused the connection")


def test_mysql_cdc_with_a_wrong_ca_or_against_a_server_without_tls_fails_at_once():
    db = _tls_server("mariadb")
    d = tmpdir()
    p = _run_to_end(d, _mysql_yaml(d, db, f"\n    tls: {_tls(db.certificates.wrong_ca_file)}"), timeout=40)
    line = _one_line_failure(p, db, "db", "check tls")
    plain = databases.mariadb()
    d = tmpdir()
    p = _run_to_end(d, _mysql_yaml(d, plain, "\n    tls: {verify: false}"), timeout=40)
    # Connector/C 3.3 connects in plaintext despite MYSQL_OPT_SSL_ENFORCE: the cipher check after connecting stops it.
    plain_line = _one_line_failure(p, plain, "db", "is not encrypted although tls is set")
    print("    " + line[:160] + "\n    " + plain_line[:160])


def _mysql_sink_yaml(d, dsn, tls_line):
    return f"""
sources:
  in: {{type: file, path: {d}/in.jsonl, format: json}}
sinks:
  out:
    type: mysql
    inputs: [in]
    dsn: {dsn}
    table: tls_sink
    mode: upsert
    primary_key: [id]{tls_line}
"""


def test_mysql_sink_over_tls_with_a_client_certificate_and_one_line_for_each_refusal():
    db = _tls_server("mariadb")
    certs = db.certificates
    db.sql("CREATE TABLE IF NOT EXISTS tls_sink (id INT PRIMARY KEY, name VARCHAR(20));"
           "CREATE USER IF NOT EXISTS 'sink_x509'@'127.0.0.1' IDENTIFIED BY 'x509-pw' REQUIRE X509;"
           f"GRANT ALL ON {db.database}.* TO 'sink_x509'@'127.0.0.1'")
    x509 = f"mysql://sink_x509:x509-pw@127.0.0.1:{db.port}/{db.database}"
    d = tmpdir()
    write(f"{d}/in.jsonl", "".join(json.dumps({"id": i, "name": f"n{i}"}) + "\n" for i in range(1, 101)))
    # Without tls the server (require_secure_transport=ON) refuses the login; without the certificate too.
    p = _run_to_end(d, _mysql_sink_yaml(d, db.url, ""))
    _one_line_failure(p, db, "out", "Access denied", "then set tls")
    p = _run_to_end(d, _mysql_sink_yaml(d, x509, f"\n    tls: {_tls(certs.ca_file)}"))
    _one_line_failure(p, db, "out", "Access denied")
    p = _run_to_end(d, _mysql_sink_yaml(d, x509, f"\n    tls: {_tls(certs.wrong_ca_file)}"), timeout=40)
    _one_line_failure(p, db, "out", "check tls")
    tls = _tls(certs.ca_file, f", cert_file: {certs.client_cert}, key_file: {certs.client_key}")
    p = _run_to_end(d, _mysql_sink_yaml(d, x509, f"\n    tls: {tls}"))
    assert p.returncode == 0, p.stderr
    assert db.value("SELECT CONCAT(count(*), ' ', min(id), '-', max(id)) FROM tls_sink") == "100 1-100"
    # tls against a server without TLS: refused, never written in plaintext.
    plain = databases.mariadb()
    d = tmpdir()
    write(f"{d}/in.jsonl", '{"id": 1, "name": "x"}\n')
    p = _run_to_end(d, _mysql_sink_yaml(d, plain.url, "\n    tls: {verify: false}"), timeout=40)
    _one_line_failure(p, plain, "out", "is not encrypted although tls is set")
    print("    100 rows upserted over TLS with a client certificate; without tls, without the certificate, with "
          "a wrong CA or against a plaintext server: one line each")
