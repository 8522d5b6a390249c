"""What the test database servers share: a temporary folder owned by an unprivileged user when the tests run as
root, the server process (which dies with the test process), its log, readiness, stop and cleanup.
databases.py builds PostgreSQL and MariaDB on it."""
import ctypes
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time

from harness import free_port

SERVER_USER = "pipetest"
START_TIMEOUT = 60


class ServerError(Exception):
    """A server could not start; the message ends with the tail of its log."""


def unprivileged_user():
    """(uid, gid) the servers run as, or None when the tests do not run as root."""
    if os.geteuid() != 0:
        return None
    try:
        entry = pwd.getpwnam(SERVER_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--user-group", "--no-create-home", "--home-dir", "/nonexistent",
                        "--shell", "/usr/sbin/nologin", SERVER_USER], capture_output=True)
        try:
            entry = pwd.getpwnam(SERVER_USER)
        except KeyError:
            entry = pwd.getpwnam("nobody")
    return entry.pw_uid, entry.pw_gid


def _die_with_parent():
    # Runs in the child after it switched user; the kernel sends SIGTERM when the test process goes away.
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Server:
    """What both servers share: the folder, the process, the log, the unprivileged user, stop and cleanup."""

    kind = "server"
    stop_signal = signal.SIGTERM

    def __init__(self, settings=None, tls=False):
        self.settings = dict(self.defaults)
        self.tls = tls  # TLS only: a throw-away CA (`certificates`, made at the first start); plaintext refused
        self.certificates = None
        self.settings.update({k: str(v) for k, v in (settings or {}).items()})
        self.user = "pipe"
        self.password = "pipe-test-pw"
        self.database = "pipe"
        self.folder = None
        self.proc = None
        self.port = None
        self.log_path = None

    def _make_folder(self, prefix):
        self.folder = tempfile.mkdtemp(prefix=prefix)
        self.log_path = os.path.join(self.folder, "server.log")
        owner = unprivileged_user()
        if owner:
            os.chown(self.folder, *owner)

    def _as_server_user(self):
        owner = unprivileged_user()
        kw = {"env": {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": self.folder, "LC_ALL": "C.UTF-8"},
              "cwd": self.folder}
        if owner:
            kw.update(user=owner[0], group=owner[1], extra_groups=[])
        return kw

    def _run_setup(self, args):
        """Runs an initialisation command (initdb, mariadb-install-db) as the server user; raises ServerError."""
        p = subprocess.run(args, capture_output=True, text=True, timeout=120, **self._as_server_user())
        if p.returncode != 0:
            raise ServerError(f"{os.path.basename(args[0])} exited {p.returncode}:\n{(p.stdout + p.stderr)[-3000:]}")

    def _spawn(self, args):
        log = open(self.log_path, "ab")
        try:
            self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                         start_new_session=True, preexec_fn=_die_with_parent,
                                         **self._as_server_user())
        finally:
            log.close()

    def log_tail(self, lines=30):
        try:
            with open(self.log_path, errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except (OSError, TypeError):
            return "(no log)"

    def _wait_ready(self):
        deadline = time.time() + START_TIMEOUT
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise ServerError(f"{self.kind} exited {self.proc.returncode} while starting")
            if self._answers():
                return
            time.sleep(0.2)
        raise ServerError(f"{self.kind} did not accept connections within {START_TIMEOUT}s")

    def start(self):
        """Starts the server; on failure stops what was started and raises ServerError with the log tail."""
        try:
            for attempt in range(3):
                self.port = free_port()
                self._start()
                try:
                    self._wait_ready()
                    break
                except ServerError:
                    # Another process may have taken the free port between the probe and the bind: try another.
                    if attempt == 2 or "already in use" not in self.log_tail():
                        raise
                    self._stop_process()
            self._after_start()
        except (ServerError, OSError, subprocess.SubprocessError) as e:
            message = f"{self.kind} could not start: {e}\n--- its log, last lines ---\n{self.log_tail()}"
            self.stop()
            raise ServerError(message) from None
        return self

    def _stop_process(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(self.stop_signal)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def stop(self):
        """Stops the server and removes its folder; safe to call twice."""
        self._stop_process()
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
