#!/usr/bin/env python3
"""The offline image (`make image`) as an operator meets it: its configuration is the Containerfile's, it holds the
CA certificates, the time zones, the user 10001 and the quickstart, and it runs: `pipe version`, then the image's
own command (the quickstart) for a few seconds, as user 10001, serving /healthz, until SIGTERM drains it.
Runs with podman where the machine allows it, else with `buildah run --isolation chroot`, and says which; where
neither can start a container it says so and does not claim the image ran.
Needs root. Usage: test_image.py DIST_DIR (where `make image` left pipe_<version>_amd64.oci.tar)"""
import glob
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
CONTAINERFILE = os.path.join(ROOT, "packaging", "container", "Containerfile")
# The storage build-offline-image.sh commits to (no overlayfs, no user namespaces in the sandbox).
BUILDAH = ["buildah", "--storage-driver", "vfs"]
USER_ID = 10001
RUN_SECONDS = 4


def sh(*args, check=True, timeout=120):
    p = subprocess.run(list(args), capture_output=True, text=True, timeout=timeout)
    if check and p.returncode != 0:
        raise AssertionError(f"{shlex.join(args)} exited {p.returncode}\n{p.stdout}\n{p.stderr}")
    return p


def containerfile_config():
    """ENTRYPOINT, CMD, USER, WORKDIR, VOLUME, EXPOSE, STOPSIGNAL and LABELs as the Containerfile states them."""
    text = re.sub(r"\\\n\s*", " ", open(CONTAINERFILE).read())
    lines = [line.split(None, 1) for line in text.splitlines() if line.strip() and not line.startswith("#")]
    directives = {word: rest.strip() for word, rest in lines if word.isupper()}
    labels = dict(re.findall(r'(\S+)="([^"]*)"', directives["LABEL"]))
    return {"Entrypoint": json.loads(directives["ENTRYPOINT"]), "Cmd": json.loads(directives["CMD"]),
            "User": directives["USER"], "WorkingDir": directives["WORKDIR"],
            "Volumes": {directives["VOLUME"]: {}}, "ExposedPorts": {directives["EXPOSE"]: {}},
            "StopSignal": directives["STOPSIGNAL"], "Labels": labels}


def check_config(image, version):
    config = json.loads(sh(*BUILDAH, "inspect", "--type", "image", image).stdout)["OCIv1"]["config"]
    expected = containerfile_config()
    expected["Labels"]["org.opencontainers.image.version"] = version
    for key, value in expected.items():
        got = config.get(key)
        if key == "Labels":
            got = {k: v for k, v in got.items() if k in value}
        assert got == value, f"{key}: the image has {got}, the Containerfile {value}"
    print(f"  configuration as in the Containerfile: {shlex.join(config['Entrypoint'] + config['Cmd'])}")


def check_files(container, binary):
    root = sh(*BUILDAH, "mount", container).stdout.strip()
    try:
        for path in ["usr/bin/pipe", "lib64/ld-linux-x86-64.so.2", "etc/ssl/certs/ca-certificates.crt",
                     "usr/lib/ssl/cert.pem", "usr/share/zoneinfo/Europe/Berlin", "usr/share/zoneinfo/UTC"]:
            assert os.path.exists(os.path.join(root, path)), f"/{path} is not in the image"
        assert f"pipe:x:{USER_ID}:{USER_ID}:" in open(os.path.join(root, "etc/passwd")).read()
        assert f"pipe:x:{USER_ID}:" in open(os.path.join(root, "etc/group")).read()
        assert os.stat(os.path.join(root, "var/lib/pipe")).st_uid == USER_ID, "/var/lib/pipe is not user 10001's"
        quickstart = open(os.path.join(ROOT, "pipelines", "quickstart.yaml")).read()
        assert open(os.path.join(root, "etc/pipe/pipeline.yaml")).read() == quickstart
        needed = {os.path.realpath(os.path.join(root, lib.lstrip("/"))) for lib in shared_libraries(binary)}
        held = set(sh("find", root + "/usr/lib", root + "/usr/lib64", "-name", "*.so*").stdout.split())
        assert held == needed, f"the image holds {sorted(held - needed)} too, lacks {sorted(needed - held)}"
        print(f"  files: pipe, exactly the {len(needed)} shared libraries ldd lists (the loader among them), "
              f"CA certificates, time zones, user {USER_ID}, /etc/pipe/pipeline.yaml")
    finally:
        sh(*BUILDAH, "umount", container)


def shared_libraries(binary):
    """The paths ldd resolves for the release binary, the dynamic loader included (linux-vdso has none)."""
    out = sh("ldd", binary).stdout
    return re.findall(r"=> (/\S+)", out) + re.findall(r"^\s+(/\S+) \(", out, re.M)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def descendants(pid):
    children = {}
    for entry in os.listdir("/proc"):
        try:
            ppid = int(open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(entry))
        except (ValueError, OSError, IndexError):
            continue
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def running_pipe(runner_pid):
    """The pipe process started in the container: a host process under chroot isolation."""
    for pid in descendants(runner_pid):
        try:
            if os.readlink(f"/proc/{pid}/exe").endswith("/usr/bin/pipe"):
                return pid
        except OSError:
            continue
    return None


def process_uid(pid):
    status = open(f"/proc/{pid}/status").read()
    return int(re.search(r"^Uid:\s+(\d+)", status, re.M).group(1))


def podman_refusal(image):
    """None where podman runs the image, else why not (this sandbox refuses crun's setrlimit)."""
    if not shutil.which("podman"):
        return "podman is not installed"
    p = sh("podman", "--storage-driver", "vfs", "run", "--rm", "--pull", "never", f"localhost/{image}", "version",
           check=False)
    return None if p.returncode == 0 else (p.stderr.strip().splitlines() or ["exit %d" % p.returncode])[-1]


def runtime_refusal(error):
    """Errors from the container runtime itself rather than from pipe in the image."""
    return re.search(r"operation not permitted|permission denied|chroot|unshare|mount", error, re.I) and \
        "error while loading shared libraries" not in error


def run_version(container):
    p = sh(*BUILDAH, "run", "--isolation", "chroot", container, "--", "/usr/bin/pipe", "version", check=False)
    if p.returncode != 0 and runtime_refusal(p.stderr):
        return None, p.stderr.strip()
    assert p.returncode == 0 and p.stdout.startswith("pipe "), f"pipe version in the image: {p.stdout}{p.stderr}"
    print(f"  pipe version: {p.stdout.splitlines()[0]}")
    return p.stdout, None


def run_quickstart(container, image):
    """The image's own command, its HTTP address moved to a free local port: chroot isolation shares the host's
    network, and 8686 may be taken. buildah run kills its child on SIGTERM, so the test signals pipe itself."""
    config = json.loads(sh(*BUILDAH, "inspect", "--type", "image", image).stdout)["OCIv1"]["config"]
    command = config["Entrypoint"] + config["Cmd"]
    port = free_port()
    command[command.index("--http") + 1] = f"127.0.0.1:{port}"
    out, err = tempfile.TemporaryFile("w+"), tempfile.TemporaryFile("w+")
    runner = subprocess.Popen(BUILDAH + ["run", "--isolation", "chroot", container, "--"] + command,
                              stdout=out, stderr=err, text=True, start_new_session=True)
    try:
        deadline = time.time() + 30
        pid = None
        while pid is None and time.time() < deadline and runner.poll() is None:
            time.sleep(0.2)
            pid = running_pipe(runner.pid)
        assert pid, "pipe did not start in the container"
        uid = process_uid(pid)
        assert uid == USER_ID, f"pipe runs as uid {uid}, not {USER_ID}"
        health = None
        while time.time() < deadline and health is None:
            try:
                health = urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).status
            except OSError:
                time.sleep(0.2)
        assert health == 200, "/healthz did not answer"
        time.sleep(RUN_SECONDS)
        os.kill(pid, 15)
        assert runner.wait(timeout=30) == 0, f"pipe exited {runner.returncode} on SIGTERM"
    finally:
        if runner.poll() is None:
            os.killpg(runner.pid, 9)
            runner.wait()
    out.seek(0)
    err.seek(0)
    lines = out.read().splitlines()
    assert lines and all(json.loads(line)["source"] == "quickstart" for line in lines), lines[:3]
    summary = json.loads(err.read().strip().splitlines()[-1])
    assert summary["event"] == "pipeline_finished", summary
    print(f"  {shlex.join(command)}: uid {uid}, /healthz 200, {summary['records_read']} clicks read and "
          f"{len(lines)} failed requests printed in {float(summary['seconds']):.1f} s, drained on SIGTERM, exit 0")


def main():
    dist = sys.argv[1] if len(sys.argv) > 1 else "build-release/dist"
    archives = sorted(glob.glob(os.path.join(dist, "pipe_*_amd64.oci.tar")), key=os.path.getmtime)
    assert archives, f"no pipe_*_amd64.oci.tar in {dist}: run make image"
    version = os.path.basename(archives[-1]).split("_")[1]
    image = f"pipe:{version}"
    assert os.geteuid() == 0, "buildah's vfs storage needs root"
    print(f"image test: {image} ({os.path.getsize(archives[-1]) / 1e6:.1f} MB as OCI archive)")
    check_config(image, version)
    container = sh(*BUILDAH, "from", image).stdout.strip()
    try:
        check_files(container, os.path.join(dist, "pipe"))
        refusal = podman_refusal(image)
        if refusal is None:
            print("  podman runs the image: pipe version passed with podman; the rest runs with buildah")
        else:
            print(f"  podman run refused here ({refusal}): running with buildah run --isolation chroot")
        _, cannot = run_version(container)
        if cannot:
            print(f"image test: NOT RUN - containers cannot run on this machine: {cannot}")
            print("image test: the image's configuration and files were checked, but it was not run")
            return
        run_quickstart(container, image)
    finally:
        sh(*BUILDAH, "rm", container, check=False)
    print("image test: passed")


if __name__ == "__main__":
    main()
