#!/usr/bin/env python3
"""Runs every suite and ends with one summary line: `N passed, N failed, N skipped`.

Suites:
  unit         doctest unit tests (build/unit_tests), counted per test case
  e2e          tests/e2e/test_*.py: the pipe binary driven as a user would (each test_* function counts once)
  conformance  ksqlDB's query-validation vectors through `pipe conformance`: each case counts; cases listed in
               tests/conformance/known_gaps.txt that still fail count as skipped (reason: known gap)
  connectors   tests/conformance/connectors: the same cases over every registered source and sink; each case of
               each connector counts once, a case not applicable by a declared capability counts as skipped
"""
import argparse
import importlib.util
import inspect
import os
import re
import subprocess
import sys
import time
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Totals:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.skipped = 0
        self.failures = []
        self.skips = []

    def line(self):
        s = f"{self.passed} passed, {self.failed} failed"
        if self.skipped:
            s += f", {self.skipped} skipped"
        return s


def run_unit(build, totals):
    exe = os.path.join(build, "unit_tests")
    print("== unit tests (doctest)", flush=True)
    p = subprocess.run([exe, "--no-intro=true"], capture_output=True, text=True)
    sys.stdout.write(p.stdout[-20000:])
    # The last summary is the test binary's own: a test that forks a child to crash on purpose
    # (testing/isolated_call) may print the child's doctest summary earlier.
    found = re.findall(r"test cases:\s*(\d+)\s*\|\s*(\d+) passed\s*\|\s*(\d+) failed\s*\|\s*(\d+) skipped", p.stdout)
    m = found[-1] if found else None
    if not m:
        totals.failed += 1
        totals.failures.append("unit: could not read doctest's summary (exit %d)\n%s" % (p.returncode, p.stderr[-2000:]))
        return
    total, passed, failed, skipped = map(int, m)
    if p.returncode != 0 and not failed:
        failed = 1
        totals.failures.append(f"unit: unit_tests exited {p.returncode}")
    totals.passed += passed
    totals.failed += failed
    totals.skipped += skipped
    if failed:
        totals.failures.append(f"unit: {failed} doctest case(s) failed (see above)")
    if skipped:
        totals.skips.append(f"unit: {skipped} doctest case(s) marked skip")


def run_e2e(build, totals, only=None):
    sys.path.insert(0, os.path.join(ROOT, "tests", "support"))
    os.environ["PIPE_BUILD"] = os.path.abspath(build)
    import harness  # noqa: E402

    # Prerequisites fetched once per machine (into a cache folder) before the tests that need them; a failure
    # here is reported by the test itself (skip, or fail under CI=true).
    if not only or "cli" in only.partition(".")[0]:
        import mermaid_parser  # noqa: E402
        try:
            mermaid_parser.install()
        except (harness.Skip, AssertionError) as e:
            print(f"note: mermaid's parser: {e}", flush=True)

    folder = os.path.join(ROOT, "tests", "e2e")
    for name in sorted(os.listdir(folder)):
        if not (name.startswith("test_") and name.endswith(".py")):
            continue
        # A filter names files (`kafka`) or single tests, as file.test_name (`kafka.test_kafka_scale_out`).
        only_file, _, only_test = (only or "").partition(".")
        if only_file and only_file not in name:
            continue
        print(f"== {name}", flush=True)
        spec = importlib.util.spec_from_file_location(name[:-3], os.path.join(folder, name))
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except Exception:
            totals.failed += 1
            totals.failures.append(f"{name}: cannot import\n{traceback.format_exc()}")
            print(f"FAIL {name} (import)", flush=True)
            continue
        tests = [(n, f) for n, f in inspect.getmembers(module, inspect.isfunction)
                 if n.startswith("test_") and f.__module__ == module.__name__ and only_test in n]
        tests.sort(key=lambda t: t[1].__code__.co_firstlineno)
        for test_name, fn in tests:
            label = f"{name[:-3]}.{test_name}"
            start = time.time()
            try:
                fn()
            except harness.Skip as e:
                totals.skipped += 1
                totals.skips.append(f"{label}: {e}")
                print(f"skip {label}: {e}", flush=True)
                continue
            except Exception:
                totals.failed += 1
                totals.failures.append(f"{label}\n{traceback.format_exc()}")
                print(f"FAIL {label} ({time.time() - start:.1f}s)", flush=True)
                continue
            totals.passed += 1
            print(f"ok   {label} ({time.time() - start:.1f}s)", flush=True)


def run_conformance(build, totals):
    print("== conformance (ksqlDB query-validation tests)", flush=True)
    p = subprocess.run([os.path.join(build, "pipe"), "conformance"], capture_output=True, text=True, cwd=ROOT)
    sys.stdout.write(p.stdout[-30000:])
    if p.stderr.strip():
        sys.stdout.write(p.stderr[-3000:])
    if "conformance: skipped" in p.stdout:
        totals.skipped += 1
        totals.skips.append("conformance: the vectors folder is absent (../shared/conformance/ksql-qtt)")
        return
    m = re.search(r"conformance-summary: passed=(\d+) failed=(\d+) known_gaps=(\d+)", p.stdout)
    if not m:
        totals.failed += 1
        totals.failures.append(f"conformance: no summary line (exit {p.returncode})")
        return
    passed, failed, gaps = map(int, m.groups())
    totals.passed += passed
    totals.failed += failed
    totals.skipped += gaps
    if gaps:
        totals.skips.append(f"conformance: {gaps} case(s) are known gaps, each listed with its reason in "
                            "tests/conformance/known_gaps.txt")
    if failed:
        totals.failures.append(f"conformance: {failed} case(s) failed that are not known gaps (regressions)")


def run_connectors(build, totals, connector=None):
    print("== connector conformance (tests/conformance/connectors)", flush=True)
    os.environ["PIPE_BUILD"] = os.path.abspath(build)
    path = os.path.join(ROOT, "tests", "conformance", "connectors", "suite.py")
    spec = importlib.util.spec_from_file_location("connector_conformance", path)
    suite = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(suite)

    results = suite.run(connector=connector)
    totals.passed += results.passed
    totals.failed += results.failed
    totals.skipped += results.not_applicable
    totals.failures += ["connectors: " + f for f in results.failures]
    totals.skips += ["connectors: " + n for n in results.notes]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default="build")
    ap.add_argument("--only", choices=["unit", "e2e", "conformance", "connectors"])
    ap.add_argument("--e2e-filter", help="only e2e files whose name contains this; FILE.TEST also "
                    "narrows to the tests whose name contains TEST")
    ap.add_argument("--connector", help="connector conformance: only the source and sink of this type")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    totals = Totals()
    start = time.time()
    if args.only in (None, "unit"):
        run_unit(build, totals)
    if args.only in (None, "conformance"):
        run_conformance(build, totals)
    if args.only in (None, "connectors"):
        run_connectors(build, totals, args.connector)
    if args.only in (None, "e2e"):
        run_e2e(build, totals, args.e2e_filter)
    print()
    if totals.skips:
        print("skipped, and why:")
        for s in totals.skips:
            print("  - " + s)
    if totals.failures:
        print("failures:")
        for f in totals.failures:
            print("  - " + f.replace("\n", "\n    "))
    print(f"time: {time.time() - start:.0f}s")
    print(totals.line())
    sys.exit(1 if totals.failed else 0)


if __name__ == "__main__":
    main()
