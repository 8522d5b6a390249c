#!/usr/bin/env python3
"""The Debian package as an operator meets it: it installs, `pipe version` and a finite example run from the
installed paths (as the pipe user, state under /var/lib/pipe), the systemd unit verifies, and it removes and purges
cleanly. Needs root (dpkg -i). Usage: test_deb.py DIST_DIR (where `make deb` left pipe_<version>_amd64.deb)."""
import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile

EXAMPLES = "/usr/share/doc/pipe/examples"


def sh(*args, check=True, **kwargs):
    p = subprocess.run(list(args), capture_output=True, text=True, **kwargs)
    if check and p.returncode != 0:
        raise AssertionError(f"{' '.join(args)} exited {p.returncode}\n{p.stdout}\n{p.stderr}")
    return p


def installed():
    p = sh("dpkg-query", "-W", "-f=${Status}", "pipe", check=False)
    return p.returncode == 0 and "installed" in p.stdout and "not-installed" not in p.stdout


def check_installed_files():
    for path in ["/usr/bin/pipe", "/lib/systemd/system/pipe@.service", "/usr/share/man/man1/pipe.1.gz",
                 "/usr/share/bash-completion/completions/pipe", "/usr/share/zsh/vendor-completions/_pipe",
                 f"{EXAMPLES}/quickstart.yaml", "/etc/pipe"]:
        assert os.path.exists(path), f"{path} is not installed"
    assert sh("getent", "passwd", "pipe").stdout.split(":")[6].strip() in ("/usr/sbin/nologin", "/bin/false")
    st = os.stat("/var/lib/pipe")
    assert sh("id", "-u", "pipe").stdout.strip() == str(st.st_uid), "/var/lib/pipe is not the pipe user's"
    # The completion script is valid bash and defines the completion function.
    sh("bash", "-c", "source /usr/share/bash-completion/completions/pipe && complete -p pipe")


def check_version():
    out = sh("/usr/bin/pipe", "version").stdout
    assert out.startswith("pipe ") and "librdkafka" in out and "yaml-cpp" in out, out
    print("  " + out.splitlines()[0])


def check_finite_example():
    """The installed quickstart, made finite, as the service would run it: the pipe user, state in /var/lib/pipe."""
    state = "/var/lib/pipe/package-test"
    p = sh("runuser", "-u", "pipe", "--", "/usr/bin/pipe", "run", f"{EXAMPLES}/quickstart.yaml", "--set",
           "sources.clicks.count=200", "--set", "sources.clicks.rate=10000", "--state-dir", state, "--no-watch",
           "--log-format", "json", cwd="/")
    summary = json.loads(p.stderr.strip().splitlines()[-1])
    assert summary["event"] == "pipeline_finished" and summary["records_read"] == 200, summary
    written = len(p.stdout.splitlines())
    assert summary["records_written"] == written, (summary, written)
    print(f"  quickstart from {EXAMPLES}: 200 records read, {written} written, exit 0")
    shutil.rmtree(state)


def check_unit():
    if not shutil.which("systemd-analyze"):
        print("  systemd-analyze is not installed: unit not verified")
        return
    d = tempfile.mkdtemp()
    shutil.copy("/lib/systemd/system/pipe@.service", d)
    p = sh("systemd-analyze", "verify", "--man=no", os.path.join(d, "pipe@example.service"), check=False,
           env=dict(os.environ, SYSTEMD_UNIT_PATH=d + ":"))
    assert p.returncode == 0 and not p.stderr.strip(), f"systemd-analyze verify:\n{p.stderr}"
    print("  systemd-analyze verify pipe@example.service: clean")


def main():
    dist = sys.argv[1] if len(sys.argv) > 1 else "build-release/dist"
    debs = sorted(glob.glob(os.path.join(dist, "pipe_*_amd64.deb")), key=os.path.getmtime)
    assert debs, f"no pipe_*_amd64.deb in {dist}: run make deb"
    deb = debs[-1]
    assert os.geteuid() == 0, "installing a package needs root"
    assert not installed(), "pipe is already installed here: remove it first (dpkg -P pipe)"
    print(f"package test: {deb}")
    sh("dpkg", "-i", deb)
    try:
        check_installed_files()
        check_version()
        check_finite_example()
        check_unit()
    finally:
        sh("dpkg", "-r", "pipe")
    assert not os.path.exists("/usr/bin/pipe"), "dpkg -r left /usr/bin/pipe"
    assert os.path.isdir("/var/lib/pipe"), "removing (not purging) must keep the pipelines' state"
    sh("dpkg", "-P", "pipe")
    assert not os.path.exists("/var/lib/pipe") and not installed(), "purging left /var/lib/pipe or the package"
    print("  removed and purged cleanly")
    print("package test: passed")


if __name__ == "__main__":
    main()
