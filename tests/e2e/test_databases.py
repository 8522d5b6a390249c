"""The database servers of tests/support/databases.py: PostgreSQL 15 with logical decoding, MariaDB 10.11 with a
row-based binlog carrying full metadata, a second start/stop cycle, and the PostgreSQL replication connection
(src/connectors/postgres_cdc/replication_stream) driven against the real server."""
import os
import re
import socket
import subprocess
import urllib.parse

import databases
from harness import BUILD


def _port_is_closed(port):
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) != 0


def test_postgres_decodes_changes_with_pgoutput_and_wal2json():
    pg = databases.postgres()
    assert pg.value("SHOW wal_level") == "logical"
    assert int(pg.value("SHOW max_replication_slots")) >= 4
    assert pg.value("SELECT rolreplication FROM pg_roles WHERE rolname = current_user") == "t"
    pg.sql("""
        CREATE TABLE dbs_customers (id int PRIMARY KEY, name text);
        CREATE PUBLICATION dbs_pub FOR TABLE dbs_customers;
        SELECT 'created' FROM pg_create_logical_replication_slot('dbs_pgoutput', 'pgoutput');
        SELECT 'created' FROM pg_create_logical_replication_slot('dbs_wal2json', 'wal2json');
        INSERT INTO dbs_customers VALUES (1, 'Ada'), (2, 'Grace');
        UPDATE dbs_customers SET name = 'Ada L.' WHERE id = 1;
    """)
    try:
        # pgoutput messages start with their type byte: B(egin) R(elation) I(nsert) U(pdate) C(ommit).
        changes = pg.sql("SELECT encode(data, 'hex') FROM pg_logical_slot_peek_binary_changes("
                         "'dbs_pgoutput', NULL, NULL, 'proto_version', '1', 'publication_names', 'dbs_pub')")
        types = "".join(bytes.fromhex(row[0])[:1].decode() for row in changes)
        assert types == "BRIICBUC", types
        json_changes = "".join(r[0] for r in pg.sql(
            "SELECT data FROM pg_logical_slot_peek_changes('dbs_wal2json', NULL, NULL)"))
        assert '"table":"dbs_customers"' in json_changes and '"Ada L."' in json_changes, json_changes
    finally:
        pg.sql("SELECT pg_drop_replication_slot('dbs_pgoutput'); SELECT pg_drop_replication_slot('dbs_wal2json');"
               "DROP PUBLICATION dbs_pub; DROP TABLE dbs_customers;")


def test_mariadb_writes_row_changes_with_full_metadata_to_its_binlog():
    db = databases.mariadb()
    settings = db.sql("SELECT @@log_bin, @@binlog_format, @@binlog_row_image, @@binlog_row_metadata, @@server_id")
    assert settings == [("1", "ROW", "FULL", "FULL", "1")]
    binlog = db.sql("SHOW MASTER STATUS")[0][0]
    db.sql("CREATE TABLE dbs_ratings (id int PRIMARY KEY, stars int); INSERT INTO dbs_ratings VALUES (7, 4);")
    try:
        events = db.sql(f"SHOW BINLOG EVENTS IN '{binlog}'")
        kinds = [e[2] for e in events]
        table_maps = [e for e in events if e[2] == "Table_map" and "dbs_ratings" in e[5]]
        assert table_maps, kinds
        assert any(k.startswith("Write_rows") for k in kinds), kinds
    finally:
        db.sql("DROP TABLE dbs_ratings")


def test_servers_start_again_with_per_test_settings_and_leave_nothing_behind():
    for cycle in range(2):
        with databases.start_postgres({"wal_sender_timeout": "2s", "max_wal_senders": "4"}) as pg:
            assert pg.sql("SHOW wal_sender_timeout; SHOW max_wal_senders") == [("2s",), ("4",)]
            pg_folder, pg_port = pg.folder, pg.port
        assert not os.path.exists(pg_folder) and _port_is_closed(pg_port), f"cycle {cycle}: postgres left behind"
        with databases.start_mariadb({"net_write_timeout": "5", "server_id": str(10 + cycle)}) as db:
            assert db.sql("SELECT @@net_write_timeout, @@server_id") == [("5", str(10 + cycle))]
            db_folder, db_port = db.folder, db.port
        assert not os.path.exists(db_folder) and _port_is_closed(db_port), f"cycle {cycle}: mariadb left behind"


def test_replication_stream_keeps_its_connection_against_postgres():
    pg = databases.postgres()
    # wal_sender_timeout is settable per connection: 2 s makes the survival cases (3x the timeout) quick.
    options = urllib.parse.quote("-c wal_sender_timeout=2s")
    env = dict(os.environ, PIPE_TEST_POSTGRES_URL=f"{pg.url}?options={options}")
    p = subprocess.run([os.path.join(BUILD, "unit_tests"), "-tc=*replication_stream server*", "--no-intro=true"],
                       capture_output=True, text=True, env=env, timeout=180)
    summary = re.findall(r"test cases:\s*(\d+)\s*\|\s*(\d+) passed\s*\|\s*(\d+) failed\s*\|\s*(\d+) skipped",
                         p.stdout)
    # doctest counts the cases the filter left out as skipped: the five server cases must all have run and passed.
    assert p.returncode == 0 and summary and summary[-1][:3] == ("5", "5", "0"), p.stdout[-6000:] + p.stderr
    print(f"replication_stream against PostgreSQL: {summary[-1][1]} of 5 cases passed")


def test_mysql_server_named_by_the_environment():
    url = urllib.parse.urlparse(databases.mysql_url())
    args = ["mariadb", "--protocol=TCP", "-h", url.hostname or "127.0.0.1", "-P", str(url.port or 3306),
            "-u", urllib.parse.unquote(url.username or "root"), "--batch", "--skip-column-names",
            "-e", "SELECT @@binlog_format, @@binlog_row_image"]
    env = dict(os.environ, MYSQL_PWD=urllib.parse.unquote(url.password or ""))
    p = subprocess.run(args, capture_output=True, text=True, env=env, timeout=30)
    assert p.returncode == 0, p.stderr
    assert p.stdout.split() == ["ROW", "FULL"], p.stdout
