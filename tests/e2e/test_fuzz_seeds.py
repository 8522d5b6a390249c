"""The fuzz harnesses (tests/fuzz/, README "Fuzzing") still build and pass their seeds: fuzz_seed_replay, built by
the project's compiler without libFuzzer, runs every checked-in seed, and the reproducer of every finding kept
with them, once through each harness. A seed that now crashes, or an invariant a harness checks (a decoded
record must be written as JSON that pipe reads back), fails here without a clang build or a fuzzing run."""
import os
import subprocess

from harness import BUILD, ROOT

HARNESSES = ["pipeline_loader", "sql", "json_decoder", "csv_decoder", "lines_decoder", "condition", "bulk_response",
             "syslog", "pgoutput", "binlog_rows"]


def test_every_harness_replays_its_seeds():
    exe = os.path.join(BUILD, "tests", "fuzz", "fuzz_seed_replay")
    for name in HARNESSES:
        corpus = os.path.join(ROOT, "tests", "fuzz", "corpus", name)
        assert len(os.listdir(corpus)) >= 2, f"{name}: too few seeds"
        p = subprocess.run([exe, name, corpus], capture_output=True, text=True, timeout=120)
        assert p.returncode == 0, f"{name}: exit {p.returncode}\n{p.stderr[-3000:]}"
        assert f"{name}: {len(os.listdir(corpus))} inputs replayed" in p.stdout, p.stdout
