#!/usr/bin/env python3
"""packaging/kubernetes/: every object validates against the Kubernetes API's schemas (npm's kubernetes-models
4.5.1, installed into WORK_DIR), the ConfigMap's pipelines pass `pipe validate`, and the workloads carry what an
operator expects (probes, a non-root read-only security context, scrape annotations, the drain's grace period).
Usage: test_kubernetes.py PIPE_BINARY WORK_DIR"""
import glob
import os
import subprocess
import sys
import tempfile

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))
MANIFESTS = os.path.join(HERE, "..", "..", "packaging", "kubernetes")
NPM_PACKAGES = ["kubernetes-models@4.5.1", "js-yaml@4.1.0"]  # kubernetes-models 5.x needs Node.js 22


def install_validator(work):
    modules = os.path.join(work, "node_modules")
    if not os.path.isdir(os.path.join(modules, "kubernetes-models")):
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", work] + NPM_PACKAGES, check=True,
                       capture_output=True)
    return modules


def documents():
    for f in sorted(glob.glob(os.path.join(MANIFESTS, "*.yaml"))):
        if not f.endswith("kustomization.yaml"):
            yield from ((os.path.basename(f), d) for d in yaml.safe_load_all(open(f)) if d)


def pod_spec(doc):
    if doc["kind"] in ("Deployment", "StatefulSet"):
        return doc["spec"]["template"]
    if doc["kind"] == "CronJob":
        return doc["spec"]["jobTemplate"]["spec"]["template"]
    return None


def check_workload(name, doc):
    template = pod_spec(doc)
    spec = template["spec"]
    assert spec["securityContext"]["runAsNonRoot"] is True, name
    assert spec["terminationGracePeriodSeconds"] >= 30, name
    for c in spec["containers"]:
        sc = c["securityContext"]
        assert sc["readOnlyRootFilesystem"] and not sc["allowPrivilegeEscalation"], name
        assert sc["capabilities"]["drop"] == ["ALL"], name
        assert c["resources"]["requests"] and c["resources"]["limits"], name
        if doc["kind"] != "CronJob":
            assert c["livenessProbe"]["httpGet"]["path"] == "/healthz", name
            assert c["readinessProbe"]["httpGet"]["path"] == "/readyz", name
            assert template["metadata"]["annotations"]["prometheus.io/scrape"] == "true", name
            assert "0.0.0.0:8686" in c["args"], name
    if doc["kind"] == "StatefulSet":
        assert doc["spec"]["volumeClaimTemplates"][0]["metadata"]["name"] == "state", name
    if doc["kind"] == "CronJob":
        assert doc["spec"]["jobTemplate"]["spec"]["backoffLimit"] >= 1 and spec["restartPolicy"] == "Never", name


def main():
    pipe, work = os.path.abspath(sys.argv[1]), sys.argv[2]
    os.makedirs(work, exist_ok=True)
    files = sorted(os.path.basename(f) for f in glob.glob(os.path.join(MANIFESTS, "*.yaml")))
    listed = yaml.safe_load(open(os.path.join(MANIFESTS, "kustomization.yaml")))["resources"]
    assert sorted(listed) == [f for f in files if f != "kustomization.yaml"], f"kustomization lists {listed}"

    modules = install_validator(work)
    manifests = [os.path.join(MANIFESTS, f) for f in listed]
    subprocess.run(["node", os.path.join(HERE, "validate_manifests.cjs"), modules] + manifests, check=True)

    kinds = set()
    for name, doc in documents():
        kinds.add(doc["kind"])
        if pod_spec(doc):
            check_workload(name, doc)
        if doc["kind"] == "ConfigMap":
            for key, text in doc["data"].items():
                with tempfile.NamedTemporaryFile("w", suffix=".yaml") as f:
                    f.write(text)
                    f.flush()
                    p = subprocess.run([pipe, "validate", f.name], capture_output=True, text=True,
                                       env=dict(os.environ, KAFKA_BOOTSTRAP="127.0.0.1:9"))
                    assert p.returncode == 0, f"{name}: {key}: {p.stderr}"
                    print(f"valid   {name}: {key}: pipe validate accepts it")
    assert {"ConfigMap", "Secret", "Deployment", "StatefulSet", "CronJob", "Service"} <= kinds, kinds
    print("kubernetes manifests: passed")


if __name__ == "__main__":
    main()
