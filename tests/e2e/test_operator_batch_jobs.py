"""Batch jobs as users expect them (issue 25, item 6): the default state dir is derived from the pipeline file's
path, so a run from another directory, or after a ConfigMap's `..data` link was swapped, resumes instead of reading
everything again; state at the old default ./.pipe-state/<name> is reused and said so; a run that reads nothing
says why; `pipe run --reset` and `pipe reset FILE` start over; records before a bad one are delivered."""
import json
import os

from harness import read_lines, run_pipe, tmpdir, write


def _batch_job(d, path=None):
    """d/job.yaml (or `path`): d/in.jsonl, read once, appended to d/out.jsonl."""
    return write(path or f"{d}/job.yaml", f"""
sources:
  orders: {{type: file, path: {d}/in.jsonl, format: json}}
sinks:
  out: {{type: file, inputs: [orders], path: {d}/out.jsonl}}
""")


def _run(args, d, cwd=None):
    """`pipe run ARGS` with the state under d/xdg (XDG_STATE_HOME) and no PIPE_STATE_DIR."""
    env = {"XDG_STATE_HOME": f"{d}/xdg", "PIPE_STATE_DIR": ""}
    p = run_pipe(["run", "--no-watch"] + args, env=env, cwd=cwd or d, timeout=60)
    assert p.returncode == 0, p.stderr
    return p


def _ids(d):
    return [json.loads(l)["id"] for l in read_lines(f"{d}/out.jsonl")]


def _orders(d, ids):
    with open(f"{d}/in.jsonl", "a") as f:
        f.write("".join(json.dumps({"id": i}) + "\n" for i in ids))


def test_the_state_dir_follows_the_file_not_the_current_directory():
    d = tmpdir()
    _orders(d, range(3))
    job = _batch_job(d)
    os.makedirs(f"{d}/elsewhere")
    _run([job], d)
    [state] = os.listdir(f"{d}/xdg/pipe")
    assert state.startswith("job-") and len(state) == len("job-") + 16, state
    second = _run([job], d, cwd=f"{d}/elsewhere")
    assert _ids(d) == [0, 1, 2]
    assert "nothing new since the checkpoint of 20" in second.stderr, second.stderr
    assert "; --reset starts over" in second.stderr, second.stderr
    _orders(d, [3])
    _run([os.path.relpath(job, f"{d}/elsewhere")], d, cwd=f"{d}/elsewhere")  # a relative path: the same file
    assert _ids(d) == [0, 1, 2, 3]
    assert os.listdir(f"{d}/xdg/pipe") == [state]


def test_a_configmap_update_keeps_the_state():
    # The kubelet's layout: the file is reached through `..data`, a link swapped to a new folder on each update.
    d = tmpdir()
    _orders(d, range(2))
    cfg = f"{d}/config"
    for version in ("v1", "v2"):
        _batch_job(d, f"{cfg}/{version}/job.yaml")
    os.symlink("v1", f"{cfg}/..data")
    os.symlink("..data/job.yaml", f"{cfg}/job.yaml")
    _run([f"{cfg}/job.yaml"], d)
    os.symlink("v2", f"{cfg}/..data.new")
    os.rename(f"{cfg}/..data.new", f"{cfg}/..data")
    second = _run([f"{cfg}/job.yaml"], d)
    assert _ids(d) == [0, 1]
    assert "nothing new since the checkpoint" in second.stderr, second.stderr


def test_state_at_the_old_default_is_reused_and_said_so():
    d = tmpdir()
    _orders(d, range(2))
    job = _batch_job(d)
    _run([job, "--state-dir", ".pipe-state/job"], d)  # where an earlier version kept it
    _orders(d, [2])
    upgraded = _run([job], d)
    assert _ids(d) == [0, 1, 2]
    assert "using the state found at the old default .pipe-state/job" in upgraded.stderr, upgraded.stderr
    assert not os.path.exists(f"{d}/xdg/pipe"), os.listdir(f"{d}/xdg/pipe")


def test_reset_starts_over():
    d = tmpdir()
    _orders(d, range(2))
    job = _batch_job(d)
    _run([job], d)
    again = _run([job, "--reset"], d)
    assert "--reset: deleted the checkpoints and state in " in again.stderr, again.stderr
    assert _ids(d) == [0, 1, 0, 1]
    env = {"XDG_STATE_HOME": f"{d}/xdg", "PIPE_STATE_DIR": ""}
    reset = run_pipe(["reset", job], env=env, cwd=d)
    assert reset.returncode == 0 and "deleted the checkpoints and state in " in reset.stdout, reset
    _run([job], d)
    assert _ids(d) == [0, 1, 0, 1, 0, 1]
    os.makedirs(f"{d}/empty")
    nothing = run_pipe(["reset", f"{d}/empty/other.yaml"], env=env, cwd=d)
    assert nothing.returncode == 0 and "nothing to reset: no state in " in nothing.stdout, nothing


def test_records_before_a_bad_line_are_delivered_before_the_pipeline_fails():
    d = tmpdir()
    job = write(f"{d}/stdin.yaml", """
sources:
  lines: {type: stdin, format: json}
sinks:
  out: {type: stdout, inputs: [lines]}
""")
    p = run_pipe(["run", job, "--state-dir", f"{d}/state"], input='{"id":1}\n{"id":2}\n{"id":\n', timeout=60)
    assert p.returncode == 1, p.stderr
    assert p.stdout == '{"id":1}\n{"id":2}\n', p.stdout
    assert "stdin, byte offset 18" in p.stderr, p.stderr
