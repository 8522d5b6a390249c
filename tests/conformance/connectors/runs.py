"""One `pipe run` process of a case: its stdin, stdout and stderr, its metrics, and how it is stopped.

Every run logs as JSON (events by name: pipeline_started, reloaded) to a file, so a case can wait for an event and
read a killed run's output afterwards; stdout goes to a file too (the stdout sink's output)."""
import os
import re
import signal
import subprocess
import time
import urllib.request

from harness import PIPE, free_port


class Run:
    def __init__(self, case_dir, pipeline, label, stdin=None, http=False):
        self.out_path = os.path.join(case_dir, f"{label}.out")
        self.err_path = os.path.join(case_dir, f"{label}.err")
        self.port = free_port() if http else None
        args = [PIPE, "run", pipeline, "--state-dir", os.path.join(case_dir, "state"), "--log-format", "json"]
        if self.port:
            args += ["--http", f"127.0.0.1:{self.port}"]
        self._out = open(self.out_path, "w")
        self._err = open(self.err_path, "w")
        self.proc = subprocess.Popen(args, stdin=stdin if stdin is not None else subprocess.DEVNULL,
                                     stdout=self._out, stderr=self._err, text=True)
        self.started_at = time.time()

    def alive(self):
        return self.proc.poll() is None

    def stderr(self):
        with open(self.err_path) as f:
            return f.read()

    def events(self, name):
        """How many log events of this name the run wrote so far."""
        return len(re.findall(r'"event":"%s"' % re.escape(name), self.stderr()))

    def wait_event(self, name, count=1, timeout=30):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.events(name) >= count:
                return
            if not self.alive():
                raise AssertionError(f"pipe exited {self.proc.returncode} before {name}:\n{self.tail()}")
            time.sleep(0.02)
        raise AssertionError(f"no {name} event within {timeout}s:\n{self.tail()}")

    def metric(self, name, kind, component="in"):
        """The value of a counter of one component from /metrics, or None while the server does not answer."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/metrics", timeout=2) as r:
                text = r.read().decode()
        except OSError:
            return None
        m = re.search(r'^%s{component_kind="%s",component="%s"} (\S+)$' % (name, kind, component), text, re.M)
        return int(float(m.group(1))) if m else None

    def terminate(self, timeout=30):
        """SIGTERM once pipe handles it (a signal before its handlers are installed kills it undrained, with
        nothing read yet); returns (exit code, seconds until the process was gone)."""
        if self.alive():
            self.wait_event("pipeline_started")
        sent = time.time()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"pipe did not stop within {timeout}s of SIGTERM:\n{self.tail()}")
        self._close()
        return self.proc.returncode, time.time() - sent

    def kill(self):
        """SIGKILL; True when the process was still running (the kill landed mid-run)."""
        landed = self.alive()
        if landed:
            self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self._close()
        return landed

    def wait(self, timeout=60):
        try:
            self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise AssertionError(f"pipe did not end by itself within {timeout}s:\n{self.tail()}")
        self._close()
        return self.proc.returncode

    def tail(self, chars=3000):
        return self.stderr()[-chars:]

    def _close(self):
        for f in (self._out, self._err):
            if not f.closed:
                f.close()

