"""What CI and cron jobs rely on: every command-line misuse exits 2 with one line on stderr, --version and -V,
`pipe test --junit`, and a finite pipeline's final summary (one JSON object under --log-format json)."""
import json
import os
import re
import xml.etree.ElementTree as ET

from harness import ROOT, run_pipe, tmpdir, write

QUICKSTART = os.path.join(ROOT, "pipelines", "quickstart.yaml")

# (command line, what the one line on stderr must contain). CLI11's own exit codes (105-114) must not leak.
MISUSES = [
    ([], "A subcommand is required"),
    (["--bogus"], "unknown command or option '--bogus'"),
    (["frob"], "unknown command or option 'frob'"),
    (["run"], "file is required"),
    (["run", QUICKSTART, "--bogus"], "not expected: --bogus"),
    (["run", QUICKSTART, "--log-format", "xml"], "xml not in {text,json}"),
    (["run", QUICKSTART, "--http"], "--http"),
    (["explain", QUICKSTART, "--format", "png"], "png not in {text,dot,mermaid}"),
    (["validate", "--set"], "--set"),
    (["test"], "files is required"),
    (["test", "x.test.yaml", "--junit"], "--junit"),
    (["functions", "--markdown=maybe"], "--markdown"),
    (["version", "extra"], "not expected: extra"),
    (["docs", "--schema", "now"], "not expected: now"),
]


def test_every_command_line_misuse_exits_2_with_one_line():
    assert len(MISUSES) >= 10
    for args, expect in MISUSES:
        p = run_pipe(args)
        assert p.returncode == 2, f"pipe {' '.join(args)} exited {p.returncode}\n{p.stderr}"
        lines = p.stderr.strip().splitlines()
        assert len(lines) == 1, f"pipe {' '.join(args)}: expected one line, got:\n{p.stderr}"
        assert lines[0].startswith("pipe: ") and expect in lines[0], f"pipe {' '.join(args)}: {lines[0]}"
        assert p.stdout == "", f"pipe {' '.join(args)} printed to stdout: {p.stdout}"


def test_a_missing_or_invalid_pipeline_file_exits_2():
    assert run_pipe(["validate", "/nonexistent/pipeline.yaml"]).returncode == 2
    d = tmpdir()
    bad = write(os.path.join(d, "bad.yaml"), "sources: [\n")
    assert run_pipe(["run", bad, "--state-dir", os.path.join(d, "state")]).returncode == 2


def test_version_flags_and_version_command():
    for flag in ["--version", "-V"]:
        p = run_pipe([flag], check=True)
        assert re.fullmatch(r"pipe \d+\.\d+\.\d+ \(commit \S+, \w+.*\)\n", p.stdout), p.stdout
    p = run_pipe(["version"], check=True)
    for library in ["librdkafka", "libpq", "libmariadb", "libcurl", "simdjson", "yaml-cpp"]:
        assert re.search(rf"^  {library} \d+\.\d+", p.stdout, re.M), f"{library} missing:\n{p.stdout}"
    assert "unknown" not in p.stdout.splitlines()[0], "the commit was not found: " + p.stdout


def test_help_exits_0():
    p = run_pipe(["--help"])
    assert p.returncode == 0 and "Exit codes" in p.stdout, p


def test_pipe_test_writes_junit_xml():
    d = tmpdir()
    report = os.path.join(d, "report.xml")
    files = [os.path.join(ROOT, "pipelines", "sql-vip-actions.test.yaml"), os.path.join(d, "missing.test.yaml")]
    p = run_pipe(["test", "--junit", report] + files, timeout=120, cwd=ROOT)
    assert p.returncode == 1, p  # the missing file fails
    root = ET.parse(report).getroot()
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == files
    passing = suites[0].findall("testcase")
    assert passing and all(c.find("failure") is None for c in passing), ET.tostring(suites[0])
    assert suites[1].get("failures") == "1" and suites[1].find("testcase/failure") is not None
    assert int(root.get("tests")) == len(passing) + 1 and root.get("failures") == "1"


def _run_finite(extra):
    d = tmpdir()
    return run_pipe(["run", QUICKSTART, "--set", "sources.clicks.count=50", "--set", "sources.clicks.rate=1000",
                     "--state-dir", os.path.join(d, "state"), "--no-watch"] + extra, timeout=60)


def test_a_finite_pipeline_ends_with_a_summary_and_exits_0():
    p = _run_finite([])
    assert p.returncode == 0, p.stderr
    last = p.stderr.strip().splitlines()[-1]
    assert re.search(r"finished: all sources ended: 50 records read, \d+ written", last), p.stderr


def test_the_summary_is_one_json_object_under_log_format_json():
    p = _run_finite(["--log-format", "json"])
    assert p.returncode == 0, p.stderr
    events = [json.loads(line) for line in p.stderr.strip().splitlines()]  # every line is one JSON object
    summary = events[-1]
    assert summary["event"] == "pipeline_finished", summary
    assert summary["records_read"] == 50 and summary["records_written"] == len(p.stdout.splitlines())
    assert summary["seconds"] >= 0  # counts and durations are JSON numbers
