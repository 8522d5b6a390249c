"""Runs every case over every source and sink the binary registers; prints one line per case and ends with
`connector conformance: N sources, M sinks, K cases, F failed`. A registered connector without a fixture fails.

    python3 tests/run_all.py --build build --only connectors
    PIPE_BUILD=build python3 tests/conformance/connectors/suite.py [--connector kafka] [--case reload]
"""
import argparse
import os
import shutil
import sys
import tempfile
import time
import traceback

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
sys.path.insert(0, os.path.join(ROOT, "tests", "support"))
sys.path.insert(0, os.path.dirname(HERE))

from connectors import cases, cases_faults  # noqa: E402
from connectors.discovery import Docs  # noqa: E402
from connectors.fixtures import FIXTURES  # noqa: E402
from connectors.pair import Pair  # noqa: E402
from harness import Skip  # noqa: E402

CASES = [cases.spec_is_complete_and_documented, cases.open_and_close, cases.idle_pipeline_stops_at_sigterm,
         cases.restart_resumes_from_checkpoint, cases_faults.sigkill_loop_conserves_records,
         cases_faults.server_down_at_start_and_mid_run, cases.sigterm_drains, cases.reload_keeps_positions,
         cases.rejected_records_follow_on_error]


class Results:
    def __init__(self):
        self.passed, self.failed, self.not_applicable = 0, 0, 0
        self.failures, self.notes = [], []


def run_case(case, fixture_class, label, results):
    case_dir = tempfile.mkdtemp(prefix=f"pipe-conn-{fixture_class.kind}-{fixture_class.name}-")
    start = time.time()
    pair = None
    try:
        pair = Pair(fixture_class, case_dir)
        note = case(pair, DOCS)
    except cases.NotApplicable as e:
        results.not_applicable += 1
        results.notes.append(f"{label}: n/a ({e})")
        print(f"n/a  {label}: {e}", flush=True)
        return
    except Skip as e:  # a tool the fixture needs is missing: a failure here, every connector must be checked
        results.failed += 1
        results.failures.append(f"{label}: cannot run: {e}")
        print(f"FAIL {label}: cannot run: {e}", flush=True)
        return
    except Exception:
        results.failed += 1
        results.failures.append(f"{label} (workdir {case_dir})\n{traceback.format_exc()}")
        print(f"FAIL {label} ({time.time() - start:.1f}s)", flush=True)
        return
    finally:
        if pair:
            pair.close()
    results.passed += 1
    shutil.rmtree(case_dir, ignore_errors=True)
    print(f"ok   {label} ({time.time() - start:.1f}s){': ' + note if note else ''}", flush=True)


def run(connector=None, case_filter=None):
    global DOCS
    DOCS = Docs()
    registered = DOCS.registered()
    results = Results()
    for key in sorted(set(FIXTURES) - set(registered)):
        results.failed += 1
        results.failures.append(f"fixture for {key[0]} {key[1]}, which the binary does not register")
    for kind, name in registered:
        if connector and connector != name:
            continue
        label = f"connectors.{kind}.{name}"
        fixture_class = FIXTURES.get((kind, name))
        if fixture_class is None:
            results.failed += 1
            results.failures.append(f"{label}: registered but has no fixture in tests/conformance/connectors/fixtures")
            print(f"FAIL {label}: no fixture", flush=True)
            continue
        started = time.time()
        caps = ", ".join(c for c, on in fixture_class.capabilities().items() if on)
        print(f"== {kind} {name} ({caps or 'no capabilities'})", flush=True)
        for case in CASES:
            if case_filter and case_filter not in case.__name__:
                continue
            run_case(case, fixture_class, f"{label}.{case.__name__}", results)
        print(f"   {kind} {name}: {time.time() - started:.0f}s", flush=True)
    sources = sum(1 for k, _ in registered if k == "source")
    sinks = len(registered) - sources
    print(f"connector conformance: {sources} sources, {sinks} sinks, {results.passed + results.failed} cases, "
          f"{results.failed} failed", flush=True)
    return results


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--connector", help="only the source and sink of this type")
    ap.add_argument("--case", help="only cases whose name contains this")
    args = ap.parse_args()
    results = run(args.connector, args.case)
    for f in results.failures:
        print("  - " + f.replace("\n", "\n    "))
    sys.exit(1 if results.failed else 0)


DOCS = None

if __name__ == "__main__":
    main()
