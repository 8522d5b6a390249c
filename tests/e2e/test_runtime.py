"""The runtime through the binary: bounded memory under backpressure, graceful stop, hot reload (plain file and
Kubernetes ConfigMap layout), the HTTP endpoint, finite pipelines. At-least-once under SIGKILL is a case of the
connector conformance suite (tests/conformance/connectors)."""
import glob
import json
import os
import signal
import subprocess
import time
import urllib.request

from harness import append_ids, follow_pipeline, free_port, read_lines, run_pipe, start_pipe, tmpdir, wait_until, write


def _ids_in(folder):
    """ids found in every JSON line under folder; a torn last line (killed mid-write) is ignored."""
    ids = []
    for path in glob.glob(os.path.join(folder, "**", "*.jsonl"), recursive=True):
        for line in read_lines(path):
            try:
                ids.append(json.loads(line)["id"])
            except (ValueError, KeyError):
                pass
    return ids



def _rss_kb(pid):
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def test_finite_pipeline_ends_by_itself_with_exit_0():
    d = tmpdir()
    write(f"{d}/in.jsonl", "".join(json.dumps({"id": i, "v": i * 2}) + "\n" for i in range(1000)))
    write(f"{d}/p.yaml", f"""
sources:
  input: {{type: file, path: {d}/in.jsonl, mode: read, format: json}}
sinks:
  out: {{type: file, inputs: [input], path: "{d}/out/part-{{n}}.jsonl", format: jsonl}}
""")
    p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state"], timeout=60)
    assert p.returncode == 0, p.stderr
    assert sorted(_ids_in(f"{d}/out")) == list(range(1000))
    assert "all sources ended" in p.stderr, p.stderr


def test_failure_exits_non_zero_and_shows_the_record():
    d = tmpdir()
    write(f"{d}/in.jsonl", '{"id": 1}\n{"id": \n{"id": 3}\n')
    write(f"{d}/p.yaml", f"""
sources:
  input: {{type: file, path: {d}/in.jsonl, mode: read, format: json}}
sinks:
  out: {{type: file, inputs: [input], path: {d}/out.jsonl, format: jsonl}}
""")
    p = run_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state"], timeout=60)
    assert p.returncode == 1, p
    assert "in.jsonl" in p.stderr and "offset" in p.stderr, p.stderr


def test_backpressure_keeps_memory_bounded():
    """A sink that cannot keep up (stdout nobody reads) slows the source; memory stays flat."""
    d = tmpdir()
    write(f"{d}/p.yaml", """
sources:
  clicks: {type: generator, dataset: clickstream, rate: 0}
sinks:
  out: {type: stdout, inputs: [clicks], format: json}
""")
    proc = start_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--no-watch"], stderr=subprocess.DEVNULL)
    try:
        time.sleep(2.0)  # nobody reads stdout: the pipe buffer fills, the sink blocks
        first = _rss_kb(proc.pid)
        time.sleep(3.0)
        second = _rss_kb(proc.pid)
        assert proc.poll() is None, "pipe exited"
        assert second < 200_000, f"RSS {second} kB: memory is not bounded"
        assert second - first < 20_000, f"RSS grew from {first} to {second} kB while the sink was blocked"
    finally:
        proc.kill()
        proc.wait()


def test_sigint_drains_and_exits_0():
    d = tmpdir()
    write(f"{d}/p.yaml", f"""
sources:
  clicks: {{type: generator, dataset: clickstream, rate: 2000}}
sinks:
  out: {{type: file, inputs: [clicks], path: {d}/out.jsonl, format: jsonl}}
""")
    proc = start_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state"])
    time.sleep(1.5)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert len(read_lines(f"{d}/out.jsonl")) > 100
    assert "draining" in err


def test_reload_swaps_valid_pipeline_and_rejects_invalid_one():
    d = tmpdir()
    write(f"{d}/in.log", "")
    pipeline = write(f"{d}/p.yaml", follow_pipeline(d, "a.jsonl"))
    proc = start_pipe(["run", pipeline, "--state-dir", f"{d}/state"])
    try:
        append_ids(f"{d}/in.log", range(0, 100))
        wait_until(lambda: len(read_lines(f"{d}/a.jsonl")) >= 100, what="first 100 records in a.jsonl")
        write(pipeline, follow_pipeline(d, "b.jsonl"))
        wait_until(lambda: os.path.exists(f"{d}/b.jsonl"), what="the reloaded pipeline to open b.jsonl")
        append_ids(f"{d}/in.log", range(100, 200))
        wait_until(lambda: len(read_lines(f"{d}/b.jsonl")) >= 100, what="records 100..199 in b.jsonl")
        write(pipeline, "sources: [oops\n")  # invalid: rejected, the running pipeline goes on
        time.sleep(1.0)
        assert proc.poll() is None, "an invalid reload stopped the pipeline"
        append_ids(f"{d}/in.log", range(200, 300))
        wait_until(lambda: len(read_lines(f"{d}/b.jsonl")) >= 200, what="records 200..299 after a rejected reload")
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "reload_rejected" in err or "invalid" in err, err
    ids = [json.loads(l)["id"] for l in read_lines(f"{d}/a.jsonl") + read_lines(f"{d}/b.jsonl")]
    assert set(ids) == set(range(300)), f"missing: {sorted(set(range(300)) - set(ids))[:10]}"


def test_reload_follows_a_configmap_symlink_swap():
    d = tmpdir()
    cm = f"{d}/config"
    os.makedirs(f"{cm}/..v1")
    write(f"{d}/in.log", "")
    write(f"{cm}/..v1/pipeline.yaml", follow_pipeline(d, "a.jsonl"))
    os.symlink("..v1", f"{cm}/..data")
    os.symlink("..data/pipeline.yaml", f"{cm}/pipeline.yaml")
    proc = start_pipe(["run", f"{cm}/pipeline.yaml", "--state-dir", f"{d}/state"])
    try:
        append_ids(f"{d}/in.log", range(0, 50))
        wait_until(lambda: len(read_lines(f"{d}/a.jsonl")) >= 50, what="records in a.jsonl")
        os.makedirs(f"{cm}/..v2")
        write(f"{cm}/..v2/pipeline.yaml", follow_pipeline(d, "b.jsonl"))
        os.symlink("..v2", f"{cm}/..data_tmp")
        os.rename(f"{cm}/..data_tmp", f"{cm}/..data")  # what the kubelet does
        wait_until(lambda: os.path.exists(f"{d}/b.jsonl"), what="the ConfigMap update to be applied")
        append_ids(f"{d}/in.log", range(50, 100))
        wait_until(lambda: len(read_lines(f"{d}/b.jsonl")) >= 1, what="records in b.jsonl")
        wait_until(lambda: len(set(json.loads(l)["id"] for l in read_lines(f"{d}/a.jsonl") + read_lines(f"{d}/b.jsonl"))) >= 100,
                   what="all 100 records")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)
    assert proc.returncode == 0


def test_http_health_ready_and_metrics():
    d = tmpdir()
    port = free_port()
    write(f"{d}/p.yaml", f"""
sources:
  clicks: {{type: generator, dataset: clickstream, rate: 500}}
sinks:
  out: {{type: file, inputs: [clicks], path: {d}/out.jsonl, format: jsonl}}
""")
    proc = start_pipe(["run", f"{d}/p.yaml", "--state-dir", f"{d}/state", "--http", f"127.0.0.1:{port}"])
    try:
        base = f"http://127.0.0.1:{port}"

        def get(path):
            try:
                with urllib.request.urlopen(base + path, timeout=2) as r:
                    return r.status, r.read().decode()
            except urllib.error.HTTPError as e:
                return e.code, ""
            except OSError:
                return 0, ""

        wait_until(lambda: get("/readyz")[0] == 200, what="/readyz")
        assert get("/healthz")[0] == 200
        time.sleep(1.5)
        status, body = get("/metrics")
        assert status == 200
        assert 'pipe_records_in_total{component_kind="source",component="clicks"}' in body, body
        written = [l for l in body.splitlines() if l.startswith('pipe_records_out_total{component_kind="sink"')]
        assert written and int(written[0].split()[-1]) > 0, body
        assert "pipe_checkpoint_age_seconds" in body
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.communicate(timeout=30)
    assert proc.returncode == 0
