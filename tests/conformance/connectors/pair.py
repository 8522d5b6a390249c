"""A connector under test and its reference partner, the pipeline file made of both, and the runs of one case."""
import os
import time

from connectors.fixtures import REFERENCE_SINK, REFERENCE_SOURCE
from connectors.runs import Run


class Pair:
    def __init__(self, fixture_class, case_dir):
        self.dir = case_dir
        self.fixture = fixture_class(case_dir)
        self.source = self.fixture if self.fixture.kind == "source" else REFERENCE_SOURCE(case_dir)
        self.sink = self.fixture if self.fixture.kind == "sink" else REFERENCE_SINK(case_dir)
        self.pipeline = os.path.join(case_dir, "p.yaml")
        self.runs = []
        self.fed = []
        self.sink_extra = ""  # more lines of sink `out` (a case's on_error settings)
        self.fixture.start()

    def write_pipeline(self, mode, note=None):
        """Writes p.yaml; a different `note` is a change the running pipe reloads."""
        description = f"\n    description: \"{note}\"" if note else ""
        with open(self.pipeline, "w") as f:
            f.write(f"sources:\n  in:\n{self.source.yaml(mode)}\n"
                    f"sinks:\n  out:\n    inputs: [in]\n{self.sink.yaml()}{self.sink_extra}{description}\n")
        return self.pipeline

    def start(self, mode, http=False):
        """Starts `pipe run` (writing the pipeline for this mode first) with the source's standard input."""
        self.write_pipeline(mode)
        stdin = self.source.stdin(mode)
        run = Run(self.dir, self.pipeline, f"run-{len(self.runs)}", stdin=stdin, http=http)
        if hasattr(stdin, "close"):
            stdin.close()  # the child has its own descriptor
        self.runs.append(run)
        self.source.attach(run, mode)
        return run

    def finish(self, run):
        """Releases what a run holds (the stdin pump) once it ended."""
        self.source.detach(run)

    def feed(self, ids):
        ids = list(ids)
        self.source.feed(ids)
        self.fed += ids

    def delivered(self):
        return self.sink.delivered(self.runs)

    def wait_delivered(self, expected, timeout=60, run=None):
        """Waits until the sink delivered every expected number (a count for a sink that keeps nothing)."""
        deadline = time.time() + timeout
        interval = 0.5 if self.sink.name == "kafka" else 0.05  # each look at a Kafka topic runs kcat
        while time.time() < deadline:
            if self.delivered().covers(expected):
                return
            if run is not None and not run.alive():
                raise AssertionError(f"pipe exited {run.proc.returncode} before delivering everything:\n{run.tail()}")
            time.sleep(interval)
        raise AssertionError(f"not everything delivered within {timeout}s: {self.delivered().describe(expected)}")

    def close(self):
        for run in self.runs:
            if run.alive():
                run.kill()
            self.source.detach(run)
        self.fixture.stop()
