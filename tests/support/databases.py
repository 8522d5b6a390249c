"""Database servers for end-to-end tests: PostgreSQL 15 and MariaDB 10.11 from Debian's packages.

    pg = databases.postgres()          # the shared server, started on first use, stopped when the run ends
    pg.sql("CREATE TABLE t (id int primary key)")
    url = pg.url                       # postgres://pipe:PASSWORD@127.0.0.1:PORT/pipe

    with databases.start_postgres({"wal_sender_timeout": "2s"}) as pg:   # a private server with other settings
        ...

    with databases.start_postgres(tls=True) as pg:   # a private server that accepts TLS connections only
        pg.certificates.ca_file                      # the CA that signed its certificate (tls_certificates.py)

Each server listens on a free port on 127.0.0.1, keeps its data, socket and log in a temporary folder, and runs as
an unprivileged user when the tests run as root (initdb and mariadbd refuse root): the `pipetest` system user,
created on first use, or `nobody` if it cannot be created. Servers die with the test process (PR_SET_PDEATHSIG),
so a killed run leaves no server holding a port.

The user `pipe` (password in `.password`, also in `.url`) is a superuser with REPLICATION on PostgreSQL (pg_hba lets
it in from 127.0.0.1 for normal and replication connections, nothing else) and has every privilege on MariaDB;
each server has a database `pipe`. Tests create what else they need (other roles, publications, slots).

Policy: with CI=true a test that needs a server fails when the server cannot start, with the server's log tail;
without CI it is skipped and the reason printed. MySQL has no Debian package: `mysql_url()` returns
PIPE_TEST_MYSQL_URL and skips the test when it is not set.
"""
import atexit
import os
import shutil
import signal
import subprocess

from database_server import Server, ServerError, unprivileged_user
from harness import Skip
from tls_certificates import Certificates

PG_BIN = "/usr/lib/postgresql/15/bin"
MARIADBD = "/usr/sbin/mariadbd"
MARIADB_INSTALL_DB = shutil.which("mariadb-install-db") or "/usr/bin/mariadb-install-db"
MARIADB_CLIENT = shutil.which("mariadb") or "/usr/bin/mariadb"

# Settings every test server gets; a test may override any of them. fsync off only matters on a machine crash.
POSTGRES_DEFAULTS = {"wal_level": "logical", "max_wal_senders": "10", "max_replication_slots": "10",
                     "wal_sender_timeout": "60s", "fsync": "off", "shared_buffers": "32MB",
                     "max_connections": "50",
                     # Builds that allow only listed output plugins (Debian's 15.18 does) must allow wal2json: a
                     # test checks pipe's decoding against it. Left out where the server does not know the setting.
                     "output_plugin_libraries": "pgoutput, test_decoding, wal2json"}
MARIADB_DEFAULTS = {"server_id": "1", "binlog_format": "ROW", "binlog_row_image": "FULL",
                    "binlog_row_metadata": "FULL", "net_write_timeout": "60", "innodb_buffer_pool_size": "64M",
                    "innodb_log_file_size": "16M", "innodb_flush_log_at_trx_commit": "2"}


# On a TLS PostgreSQL server, the role that must log in with a client certificate (tests create it).
CLIENT_CERT_ROLE = "pipe_cert"


def in_ci():
    return os.environ.get("CI", "").lower() == "true"


_setting_names = None


def _postgres_setting_names():
    global _setting_names
    if _setting_names is None:
        p = subprocess.run([f"{PG_BIN}/postgres", "--describe-config"], capture_output=True, text=True)
        _setting_names = {line.split("\t", 1)[0] for line in p.stdout.split("\n")}
    return _setting_names


class PostgresServer(Server):
    kind = "PostgreSQL 15"
    defaults = POSTGRES_DEFAULTS
    stop_signal = signal.SIGINT  # "fast" shutdown: ends open sessions instead of waiting for them

    def _start(self):
        if not self.folder:
            self._make_folder("pipe-pg-")
            data = os.path.join(self.folder, "data")
            pwfile = os.path.join(self.folder, "pw")
            with open(pwfile, "w") as f:
                f.write(self.password + "\n")
            owner = unprivileged_user()
            if owner:
                os.chown(pwfile, *owner)
            self._run_setup([f"{PG_BIN}/initdb", "-D", data, "-U", self.user, f"--pwfile={pwfile}", "-E", "UTF8",
                             "--locale=C", "--auth-local=scram-sha-256", "--auth-host=scram-sha-256"])
            os.unlink(pwfile)
            if self.tls:
                self.certificates = Certificates(os.path.join(self.folder, "tls"), owner)
            # Password logins from 127.0.0.1 only, for normal and replication connections alike; over TLS only
            # on a TLS server (the psql of the tests negotiates it by itself: sslmode=prefer), where the role
            # CLIENT_CERT_ROLE (if a test creates it) must also show a client certificate the CA signed.
            host = "hostssl" if self.tls else "host"
            client_cert = f"hostssl all {CLIENT_CERT_ROLE} 127.0.0.1/32 scram-sha-256 clientcert=verify-ca\n"
            with open(os.path.join(data, "pg_hba.conf"), "w") as f:
                f.write((client_cert if self.tls else "") +
                        f"{host} all all 127.0.0.1/32 scram-sha-256\n"
                        f"{host} replication all 127.0.0.1/32 scram-sha-256\n")
        settings = dict(self.settings, port=str(self.port), listen_addresses="127.0.0.1",
                        unix_socket_directories=self.folder)
        if self.certificates:
            settings.update(ssl="on", ssl_cert_file=self.certificates.server_cert,
                            ssl_key_file=self.certificates.server_key, ssl_ca_file=self.certificates.ca_file)
        if "output_plugin_libraries" not in _postgres_setting_names():
            settings.pop("output_plugin_libraries", None)
        args = [f"{PG_BIN}/postgres", "-D", os.path.join(self.folder, "data")]
        for name, value in settings.items():
            args += ["-c", f"{name}={value}"]
        self._spawn(args)

    def _answers(self):
        return self._psql("SELECT 1", "postgres", check=False).returncode == 0

    def _after_start(self):
        if not self.sql("SELECT 1 FROM pg_database WHERE datname = 'pipe'", "postgres"):
            self.sql(f"CREATE DATABASE {self.database}", "postgres")

    @property
    def url(self):
        return self.url_for(self.database)

    def url_for(self, database):
        return f"postgres://{self.user}:{self.password}@127.0.0.1:{self.port}/{database}"

    def _psql(self, sql, database, check=True):
        env = dict(os.environ, PGPASSWORD=self.password, PGCONNECT_TIMEOUT="5")
        p = subprocess.run([f"{PG_BIN}/psql", "-X", "-q", "-A", "-t", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                            "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, "-d", database, "-f", "-"],
                           input=sql, capture_output=True, text=True, env=env, timeout=120)
        if check and p.returncode != 0:
            raise AssertionError(f"psql failed ({p.returncode}) on:\n{sql}\n{p.stderr}")
        return p

    def sql(self, sql, database=None):
        """Runs SQL (several statements allowed) through psql; returns the rows of the output as tuples of text."""
        out = self._psql(sql, database or self.database).stdout
        return [tuple(line.split("\t")) for line in out.split("\n") if line]

    def value(self, sql, database=None):
        rows = self.sql(sql, database)
        return rows[0][0] if rows else None

    def set(self, name, value):
        """Changes a reloadable setting for the whole server (restore it when the test ends)."""
        self.sql(f"ALTER SYSTEM SET {name} = '{value}'; SELECT pg_reload_conf();", "postgres")


class MariaDBServer(Server):
    kind = "MariaDB 10.11"
    defaults = MARIADB_DEFAULTS

    def _options(self):
        return [f"--{name.replace('_', '-')}={value}" for name, value in self.settings.items()]

    def _start(self):
        data = os.path.join(self.folder or "", "data")
        if not self.folder:
            self._make_folder("pipe-mariadb-")
            data = os.path.join(self.folder, "data")
            self._run_setup([MARIADB_INSTALL_DB, "--no-defaults", f"--datadir={data}", "--skip-test-db",
                             "--skip-name-resolve", "--auth-root-authentication-method=socket"]
                            + [o for o in self._options() if o.startswith("--innodb")])
            # Run at every start (hence IF NOT EXISTS): the test user, over TCP from 127.0.0.1 only.
            with open(os.path.join(self.folder, "init.sql"), "w") as f:
                f.write(f"CREATE USER IF NOT EXISTS '{self.user}'@'127.0.0.1' IDENTIFIED BY '{self.password}';\n"
                        f"GRANT ALL PRIVILEGES ON *.* TO '{self.user}'@'127.0.0.1' WITH GRANT OPTION;\n"
                        f"CREATE DATABASE IF NOT EXISTS {self.database};\n")
            tls_client = ""
            if self.tls:
                self.certificates = Certificates(os.path.join(self.folder, "tls"), unprivileged_user())
                tls_client = f"ssl-ca={self.certificates.ca_file}\n"
            with open(os.path.join(self.folder, "client.cnf"), "w") as f:
                f.write("[client]\nhost=127.0.0.1\nprotocol=TCP\n"
                        f"user={self.user}\npassword={self.password}\n{tls_client}")
        # The client reads the port from the option file, so a restart on another port rewrites it.
        cnf = os.path.join(self.folder, "client.cnf")
        with open(cnf) as f:
            lines = [l for l in f.read().split("\n") if l and not l.startswith("port=")]
        with open(cnf, "w") as f:
            f.write("\n".join(lines + [f"port={self.port}", ""]))
        self._spawn([MARIADBD, "--no-defaults", f"--datadir={data}", f"--port={self.port}",
                     "--bind-address=127.0.0.1", f"--socket={self.folder}/mariadb.sock",
                     f"--pid-file={self.folder}/mariadb.pid", f"--log-bin={data}/binlog", "--skip-name-resolve",
                     f"--init-file={self.folder}/init.sql", "--console"] + self._options() + self._tls_options())

    def _tls_options(self):
        if not self.certificates:
            return []
        return [f"--ssl-ca={self.certificates.ca_file}", f"--ssl-cert={self.certificates.server_cert}",
                f"--ssl-key={self.certificates.server_key}", "--require-secure-transport=ON"]

    def _client(self, sql, database, check=True):
        args = [MARIADB_CLIENT, f"--defaults-extra-file={self.folder}/client.cnf", "--batch", "--skip-column-names",
                "--connect-timeout=5"]
        if database:
            args.append(database)
        p = subprocess.run(args, input=sql, capture_output=True, text=True, timeout=120)
        if check and p.returncode != 0:
            raise AssertionError(f"mariadb client failed ({p.returncode}) on:\n{sql}\n{p.stderr}")
        return p

    def _answers(self):
        return self._client("SELECT 1", None, check=False).returncode == 0

    def _after_start(self):
        pass

    @property
    def url(self):
        return f"mysql://{self.user}:{self.password}@127.0.0.1:{self.port}/{self.database}"

    def sql(self, sql, database=None):
        """Runs SQL through the mariadb client; returns the rows as tuples of text (NULL reads "NULL")."""
        out = self._client(sql, database or self.database).stdout
        return [tuple(line.split("\t")) for line in out.split("\n") if line]

    def value(self, sql, database=None):
        rows = self.sql(sql, database)
        return rows[0][0] if rows else None

    def set(self, name, value):
        """Changes a dynamic global variable (restore it when the test ends)."""
        self.sql(f"SET GLOBAL {name} = {value}")


def _require(server_class, settings, tls=False):
    """Starts a server, or fails (CI=true) / skips (otherwise) the calling test with the reason."""
    binary = f"{PG_BIN}/postgres" if server_class is PostgresServer else MARIADBD
    if not os.path.exists(binary):
        reason = f"{server_class.kind} is not installed ({binary} is missing; `make test-deps` installs it)"
        if in_ci():
            raise AssertionError(reason)
        raise Skip(reason)
    try:
        return server_class(settings, tls).start()
    except ServerError as e:
        if in_ci():
            raise AssertionError(str(e)) from None
        raise Skip(str(e)) from None


def start_postgres(settings=None, tls=False):
    """A private PostgreSQL server with these settings on top of POSTGRES_DEFAULTS; the caller stops it (or uses
    `with`). Follows the CI policy above. tls=True: ssl=on and pg_hba `hostssl` lines only, so a connection
    without TLS is refused; `.certificates` holds the CA and the certificates."""
    return _require(PostgresServer, settings, tls)


def start_mariadb(settings=None, tls=False):
    """A private MariaDB server with these settings on top of MARIADB_DEFAULTS; the caller stops it. tls=True:
    ssl_ca/ssl_cert/ssl_key and require_secure_transport=ON, so a connection without TLS is refused."""
    return _require(MariaDBServer, settings, tls)


_shared = {}


def _shared_server(server_class):
    # A server that failed to start is not tried again for every test; its error is repeated instead.
    entry = _shared.get(server_class)
    if entry is None:
        try:
            entry = _require(server_class, None)
        except (Skip, AssertionError) as e:
            entry = e
        _shared[server_class] = entry
    if isinstance(entry, Exception):
        raise entry
    return entry


def postgres():
    """The PostgreSQL server the whole run shares (default settings), started on first use."""
    return _shared_server(PostgresServer)


def mariadb():
    """The MariaDB server the whole run shares (default settings), started on first use."""
    return _shared_server(MariaDBServer)


@atexit.register
def _stop_shared():
    for entry in _shared.values():
        if isinstance(entry, Server):
            entry.stop()
    _shared.clear()


def mysql_url():
    """A MySQL server named by PIPE_TEST_MYSQL_URL (mysql://user:pw@host:port/db); skips the test without one."""
    url = os.environ.get("PIPE_TEST_MYSQL_URL") or os.environ.get("PIPE_TEST_MYSQL_DSN")
    if not url:
        raise Skip("MySQL tests need a server: set PIPE_TEST_MYSQL_URL=mysql://user:pw@host:port/db "
                   "(Debian packages no MySQL server; MariaDB runs the same tests)")
    return url
