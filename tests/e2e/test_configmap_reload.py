"""A Kubernetes ConfigMap update as the kubelet makes it, against a running pipe: the new version lands in a new
timestamped folder, the `..data` symlink is swapped to it with one rename, the old folder is removed. pipe reloads,
and every input record is written exactly once (nothing lost across the swap, nothing repeated)."""
import datetime
import json
import os
import shutil
import signal

from harness import read_lines, start_pipe, tmpdir, wait_until, write

RECORDS_PER_PHASE = 300


def _pipeline(d, version):
    return f"""
sources:
  input: {{type: file, path: {d}/in.log, mode: follow, format: json}}
sinks:
  out:
    type: file
    inputs: [input]
    path: {d}/out.jsonl
    format: jsonl
    flush_interval: 50ms
    transforms:
      - {{type: InsertField, static.field: version, static.value: "{version}"}}
"""


def _kubelet_writes(configmap, pipeline_text, previous=None):
    """The kubelet's atomic writer: a fresh ..<timestamp> folder, ..data_tmp -> it, renamed over ..data."""
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("..%Y_%m_%d_%H_%M_%S.%f")
    write(f"{configmap}/{stamp}/pipeline.yaml", pipeline_text)
    os.symlink(stamp, f"{configmap}/..data_tmp")
    os.rename(f"{configmap}/..data_tmp", f"{configmap}/..data")
    if not os.path.lexists(f"{configmap}/pipeline.yaml"):
        os.symlink("..data/pipeline.yaml", f"{configmap}/pipeline.yaml")
    if previous:
        shutil.rmtree(f"{configmap}/{previous}")
    return stamp


def _append(path, ids):
    with open(path, "a") as fh:
        fh.write("".join(json.dumps({"id": i}) + "\n" for i in ids))


def test_a_configmap_swap_reloads_with_nothing_lost_or_repeated():
    d = tmpdir()
    configmap = f"{d}/etc-pipe"
    os.makedirs(configmap)
    write(f"{d}/in.log", "")
    first = _kubelet_writes(configmap, _pipeline(d, "v1"))
    log = open(f"{d}/log", "w")
    proc = start_pipe(["run", f"{configmap}/pipeline.yaml", "--state-dir", f"{d}/state", "--log-format", "json"],
                      stderr=log)
    try:
        _append(f"{d}/in.log", range(0, RECORDS_PER_PHASE))
        wait_until(lambda: len(read_lines(f"{d}/out.jsonl")) >= RECORDS_PER_PHASE, what="the first records")
        _kubelet_writes(configmap, _pipeline(d, "v2"), previous=first)
        # Records written while the swap is under way: they belong to one version or the other, once.
        _append(f"{d}/in.log", range(RECORDS_PER_PHASE, 2 * RECORDS_PER_PHASE))
        wait_until(lambda: '"event":"reloaded"' in open(f"{d}/log").read(), what="the v2 pipeline")
        _append(f"{d}/in.log", range(2 * RECORDS_PER_PHASE, 3 * RECORDS_PER_PHASE))
        wait_until(lambda: len(read_lines(f"{d}/out.jsonl")) >= 3 * RECORDS_PER_PHASE, what="all records")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        log.close()
    stderr = open(f"{d}/log").read()
    assert proc.returncode == 0, stderr
    assert '"event":"reloaded"' in stderr, stderr
    records = [json.loads(line) for line in read_lines(f"{d}/out.jsonl")]
    ids = [r["id"] for r in records]
    assert len(ids) == 3 * RECORDS_PER_PHASE and sorted(ids) == list(range(3 * RECORDS_PER_PHASE)), \
        f"{len(ids)} records written, {len(set(ids))} distinct, expected {3 * RECORDS_PER_PHASE} exactly once"
    versions = [r["version"] for r in records]
    assert versions[:RECORDS_PER_PHASE] == ["v1"] * RECORDS_PER_PHASE
    assert versions[-RECORDS_PER_PHASE:] == ["v2"] * RECORDS_PER_PHASE
    assert versions == sorted(versions), "a v1 record was written after a v2 one"
