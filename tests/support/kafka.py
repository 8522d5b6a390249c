"""Kafka fixtures for end-to-end tests and benchmarks: a mock cluster process and kcat helpers.

    with MockKafka(topics={"in": 4, "out": 4}, brokers=3) as kafka:
        produce(kafka.bootstrap, "in", ["a", "b"])
        assert consume(kafka.bootstrap, "out") == [...]

The cluster is librdkafka's mock (tests/support/kafka_mock_cluster.cpp): loopback only, in memory, at most 5 MiB
per partition, transactions API-only (see /work/shared/testing/kafka-mock.md). Restart `pipe`, never the cluster.
"""
import os
import shutil
import subprocess
import time

from harness import BUILD, Skip

MOCK = os.path.join(BUILD, "tests", "support", "kafka_mock_cluster")
KCAT = shutil.which("kcat")


def require_tools():
    if not os.path.exists(MOCK):
        raise Skip(f"{MOCK} is not built")
    if not KCAT:
        raise Skip("kcat is not installed (apt-get install kcat)")


class MockKafka:
    """A running kafka_mock_cluster process; `bootstrap` is its comma-separated broker list."""

    def __init__(self, topics=None, brokers=1, start_timeout=10):
        require_tools()
        args = [MOCK, "--brokers", str(brokers)]
        for name, partitions in (topics or {}).items():
            args += ["--topic", f"{name}:{partitions}"]
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True)
        self.bootstrap = None
        deadline = time.time() + start_timeout
        while time.time() < deadline:
            line = self.proc.stdout.readline()
            if not line:
                break
            if line.startswith("BOOTSTRAP="):
                self.bootstrap = line.strip().split("=", 1)[1]
                break
        if not self.bootstrap:
            self.stop()
            raise AssertionError(f"kafka_mock_cluster did not announce its address: {self.proc.stderr.read()}")

    def fault(self, command):
        """Injects a fault into the running cluster, e.g. "down 2", "up 2", "leader in 0 3", "errors 0 6 20"
        (kafka_mock_cluster.cpp lists them); raises if the cluster refuses it."""
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline().strip()
        if answer != "ok":
            raise AssertionError(f"mock cluster refused {command!r}: {answer}")

    def stop(self):
        if self.proc.stdin:
            try:
                self.proc.stdin.close()
            except OSError:
                pass
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def produce(bootstrap, topic, lines, key_delimiter=None, headers=None, compression=None, extra=None):
    """Produces one message per line with kcat (-K delimiter splits key and value; headers: list of k=v)."""
    args = [KCAT, "-b", bootstrap, "-P", "-t", topic, "-X", "topic.partitioner=murmur2_random"]
    if key_delimiter:
        args += ["-K", key_delimiter]
    for h in headers or []:
        args += ["-H", h]
    if compression:
        args += ["-z", compression]
    args += extra or []
    data = "".join(l + "\n" for l in lines)
    p = subprocess.run(args, input=data, capture_output=True, text=True, timeout=120)
    if p.returncode != 0:
        raise AssertionError(f"kcat produce failed: {p.stderr}")


def produce_file(bootstrap, topic, path, compression=None, extra=None):
    args = [KCAT, "-b", bootstrap, "-P", "-t", topic, "-X", "topic.partitioner=murmur2_random", "-l"]
    if compression:
        args += ["-z", compression]
    args += extra or []
    p = subprocess.run(args + [path], capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        raise AssertionError(f"kcat produce failed: {p.stderr}")


def consume(bootstrap, topic, fmt="%s", extra=None, timeout=120):
    """Reads the whole topic once (from the beginning to the current end); returns one string per message.

    fmt is kcat's -f format without the trailing newline, e.g. "%k\\t%s" or "%p %o %T %h %s". Messages are
    separated by a byte that JSON text and test keys never contain, so values may hold newlines."""
    sep = "\x1e"
    args = [KCAT, "-b", bootstrap, "-C", "-t", topic, "-o", "beginning", "-e", "-q", "-f", fmt + sep]
    args += extra or []
    p = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
    if p.returncode != 0:
        raise AssertionError(f"kcat consume failed: {p.stderr}")
    out = p.stdout.split(sep)
    return out[:-1] if out and out[-1] == "" else out


def count(bootstrap, topic):
    return len(consume(bootstrap, topic, fmt="."))
