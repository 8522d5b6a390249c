"""mermaid's own parser, for the test that `pipe explain --format mermaid` parses (tests/e2e/test_cli.py).

The npm packages pinned in tests/support/mermaid/package.json (mermaid 10, the last line that runs on Node.js 20,
with jsdom for the DOM it wants even to parse) are installed once into a cache folder: $PIPE_TEST_CACHE, else
~/.cache/pipe-tests. `tests/run_all.py` calls `install()` before the end-to-end tests, so `make test` installs
them once; a test run alone installs them itself.

Policy, as for the database servers (tests/support/databases.py): with CI=true, no node/npm or a failed install
fails the test; otherwise it is skipped with the reason.
"""
import json
import os
import shutil
import subprocess

from harness import Skip

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "mermaid")


def _in_ci():
    return os.environ.get("CI", "").lower() == "true"


def _folder():
    with open(os.path.join(HERE, "package.json")) as f:
        version = json.load(f)["dependencies"]["mermaid"]
    cache = os.environ.get("PIPE_TEST_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "pipe-tests")
    return os.path.join(cache, f"mermaid-{version}")


def _unavailable(reason):
    if _in_ci():
        raise AssertionError(f"mermaid's parser is needed under CI=true: {reason}")
    raise Skip(reason)


def install():
    """Installs the pinned packages into the cache folder unless they are there; returns the folder. Raises Skip
    (or, with CI=true, AssertionError) when node or npm is missing or the install fails."""
    folder = _folder()
    if os.path.exists(os.path.join(folder, "node_modules", "mermaid", "package.json")):
        return folder
    for tool in ("node", "npm"):
        if not shutil.which(tool):
            _unavailable(f"{tool} is not installed (Node.js 20 with npm)")
    os.makedirs(folder, exist_ok=True)
    for name in ("package.json", "parse.mjs"):
        shutil.copy(os.path.join(HERE, name), folder)
    p = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent"], cwd=folder,
                       capture_output=True, text=True, timeout=600)
    if p.returncode != 0 or not os.path.exists(os.path.join(folder, "node_modules", "mermaid")):
        shutil.rmtree(os.path.join(folder, "node_modules"), ignore_errors=True)
        _unavailable(f"npm install of mermaid failed (exit {p.returncode}): {(p.stderr or p.stdout)[-500:]}")
    return folder


def parse(text):
    """(True, "ok") when mermaid accepts the text, else (False, the parser's message)."""
    folder = install()
    shutil.copy(os.path.join(HERE, "parse.mjs"), folder)  # the script may have changed since the install
    p = subprocess.run(["node", os.path.join(folder, "parse.mjs")], input=text, capture_output=True, text=True,
                       timeout=60, cwd=folder)
    return p.returncode == 0, (p.stdout + p.stderr).strip()
