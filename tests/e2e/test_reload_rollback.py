"""A reload to a version that validates but cannot start (issue 19, item 4): the previous version runs again from
its committed positions, the process stays up, and nothing is lost or repeated."""
import json
import os
import subprocess
import time

from harness import append_ids, follow_pipeline, read_lines, start_pipe, tmpdir, wait_until, write


def _ids(path):
    return [json.loads(l)["id"] for l in read_lines(path)] if os.path.exists(path) else []


def test_a_reload_that_cannot_start_goes_back_to_the_previous_version():
    d = tmpdir()
    write(f"{d}/in.log", "")
    write(f"{d}/p.yaml", follow_pipeline(d, "out.jsonl"))
    log = open(f"{d}/run.log", "w+")
    proc = start_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state"], stdout=subprocess.DEVNULL, stderr=log)
    try:
        append_ids(f"{d}/in.log", range(0, 100))
        wait_until(lambda: len(_ids(f"{d}/out.jsonl")) == 100, timeout=30, what="the first 100 records")
        # Valid YAML for a valid pipeline, but its sink cannot open its file (a folder of /proc).
        write(f"{d}/p.yaml", follow_pipeline(d, "out.jsonl").replace(f"{d}/out.jsonl", "/proc/pipe-test/out.jsonl"))
        wait_until(lambda: "going back to the previous version" in open(f"{d}/run.log").read(), timeout=30,
                   what="the reload to fail and go back")
        time.sleep(0.5)
        assert proc.poll() is None, open(f"{d}/run.log").read()[-3000:]
        append_ids(f"{d}/in.log", range(100, 200))
        wait_until(lambda: len(_ids(f"{d}/out.jsonl")) >= 200, timeout=30, what="records after the failed reload")
        proc.terminate()
        assert proc.wait(timeout=30) == 0, open(f"{d}/run.log").read()[-3000:]
    finally:
        if proc.poll() is None:
            proc.kill()
    out = _ids(f"{d}/out.jsonl")
    assert sorted(out) == list(range(200)), f"{len(out)} records, {len(set(out))} distinct"
    message = [l for l in open(f"{d}/run.log") if "could not start" in l][0]
    assert "/proc/pipe-test" in message, message
    print("reload that could not start: the previous version ran on; 200 of 200 records, none repeated")
