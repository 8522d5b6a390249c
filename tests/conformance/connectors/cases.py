"""The cases every connector goes through, in the order they run. Each takes the Pair (the connector under test
with its reference partner) and the binary's docs; it fails by raising, is N/A only through a capability
(requires), and may return a short note for the result line."""
import json
import os
import threading
import time

from connectors.numbered import assert_exact, assert_none_missing, gaps_in_restarting_sequence

STOP_WITHIN = 1.0  # seconds from SIGTERM to exit for an idle pipeline


class NotApplicable(Exception):
    """The connector declares a capability that makes the case meaningless; the message names it."""


def requires(pair, capability, value=True):
    if getattr(pair.fixture, capability) != value:
        raise NotApplicable(f"{capability}: {getattr(pair.fixture, capability)}")


def spec_is_complete_and_documented(pair, docs):
    fx = pair.fixture
    section = docs.reference_section(fx.kind, fx.name)
    assert section is not None, f"`pipe docs` has no section for {fx.kind} {fx.name}"
    assert section["summary"], f"{fx.kind} {fx.name} has no summary in `pipe docs`"
    undocumented = [o for o, description in section["options"].items() if not description.strip()]
    assert not undocumented, f"options without a description: {undocumented}"
    key = f"{fx.kind}.{fx.name}"
    checked_in = docs.checked_in_schema["definitions"].get(key)
    assert checked_in is not None, f"{key} is missing from schemas/pipeline.schema.json (run `make docs`)"
    assert checked_in == docs.schema["definitions"][key], \
        f"schemas/pipeline.schema.json differs from `pipe docs --schema` for {key} (run `make docs`)"
    return f"{len(section['options'])} options"


def open_and_close(pair, docs):
    """A short run: a finite pipeline ends by itself with exit 0 and everything delivered once."""
    pair.feed(range(500))
    if pair.source.finite:
        run = pair.start("finite")
        code = run.wait(timeout=60)
        assert code == 0, f"exit {code}:\n{run.tail()}"
    else:
        run = pair.start("continuous")
        pair.wait_delivered(pair.fed, run=run)
        code, _ = run.terminate()
        assert code == 0, f"exit {code} after SIGTERM:\n{run.tail()}"
    pair.finish(run)
    assert_exact(pair.delivered(), pair.fed, "a finite run")
    return f"{len(pair.fed)} records, {time.time() - run.started_at:.1f}s"


def idle_pipeline_stops_at_sigterm(pair, docs):
    """With nothing to read, a pipeline stops within STOP_WITHIN of SIGTERM: reads return and honour stop."""
    run = pair.start("idle")
    run.wait_event("pipeline_started")
    time.sleep(1.0)  # well into the idle read
    assert run.alive(), f"an idle pipeline exited {run.proc.returncode}:\n{run.tail()}"
    code, seconds = run.terminate()
    pair.finish(run)
    assert code == 0, f"exit {code} after SIGTERM:\n{run.tail()}"
    assert seconds <= STOP_WITHIN, f"stopped {seconds:.2f}s after SIGTERM (limit {STOP_WITHIN}s)"
    return f"stopped in {seconds * 1000:.0f} ms"


def _checked_across_restarts(pair, what):
    """Exactly once where the source's positions are stable, otherwise nothing lost and no gap inside a run."""
    delivered = pair.delivered()
    if pair.source.stable_positions:
        assert_exact(delivered, pair.fed, what)
    else:
        assert_none_missing(delivered, pair.fed, what)
        if delivered.ids is not None:
            gaps = gaps_in_restarting_sequence(delivered.ids)
            assert not gaps, f"{what}: numbers skipped (index, before, after): {gaps[:5]}"
    return delivered


def restart_resumes_from_checkpoint(pair, docs):
    """Run, stop, append input, run again: nothing missing, nothing repeated. A sink resumes from the checkpoint
    of its (replayable) reference source, so the case applies to every sink."""
    if pair.fixture.kind == "source":
        requires(pair, "replayable")
    pair.feed(range(300))
    for batch in (range(300, 600), None):
        run = pair.start("continuous")
        pair.wait_delivered(pair.fed, run=run)
        code, _ = run.terminate()
        pair.finish(run)
        assert code == 0, f"exit {code} after SIGTERM:\n{run.tail()}"
        if batch:
            pair.feed(batch)  # written while pipe is down
    delivered = _checked_across_restarts(pair, "after a restart")
    return delivered.describe(pair.fed)


def sigterm_drains(pair, docs):
    """SIGTERM while records flow: everything read before it is delivered, exit 0; a restart then finishes the
    input (exactly once for stable positions)."""
    run = pair.start("continuous", http=True)
    run.wait_event("pipeline_started")
    feeder = threading.Thread(target=_feed_in_pieces, args=(pair, 1200, 100, 0.1))
    feeder.start()
    try:
        read = None
        deadline = time.time() + 20
        while not read and time.time() < deadline:  # something read: a Kafka consumer may still be joining
            read = run.metric("pipe_records_in_total", "source")
            time.sleep(0.05)
        time.sleep(0.3)
        read = run.metric("pipe_records_in_total", "source")  # a lower bound of what is read at SIGTERM
        code, _ = run.terminate()
    finally:
        feeder.join()
    pair.finish(run)
    assert code == 0, f"exit {code} after SIGTERM:\n{run.tail()}"
    delivered = pair.delivered()
    got = delivered.count if delivered.ids is None else len(set(delivered.ids))
    assert read and got >= read, f"{read} records read before SIGTERM, {got} delivered"
    note = f"{read} read before SIGTERM, {got} delivered"
    if pair.source.replayable:
        again = pair.start("continuous")
        pair.wait_delivered(pair.fed, run=again)
        again.terminate()
        pair.finish(again)
        _checked_across_restarts(pair, "after SIGTERM and a restart")
        note += f", {len(pair.fed)} after a restart"
    return note


def _feed_in_pieces(pair, total, piece, pause):
    for start in range(0, total, piece):
        pair.feed(range(start, start + piece))
        time.sleep(pause)


def reload_keeps_positions(pair, docs):
    """Edit the pipeline file while it runs (pipe reloads on change): nothing lost, nothing repeated."""
    run = pair.start("continuous")
    pair.feed(range(300))
    pair.wait_delivered(pair.fed, run=run)
    pair.write_pipeline("continuous", note="reloaded")
    run.wait_event("reloaded")
    pair.feed(range(300, 600))
    pair.wait_delivered(pair.fed, run=run)
    code, _ = run.terminate()
    pair.finish(run)
    assert code == 0, f"exit {code} after SIGTERM:\n{run.tail()}"
    delivered = _checked_across_restarts(pair, "across a reload")
    return delivered.describe(pair.fed)


REJECT_CONDITION = "(n >= 100 and n < 110) or n == 250"
REJECTED = list(range(100, 110)) + [250]


def rejected_records_follow_on_error(pair, docs):
    """A sink that refuses single records: exactly those reach the dead-letter file with their error, the others
    are delivered, and the run ends normally (per-record outcomes, one dead-letter model)."""
    requires(pair, "can_reject_records")
    dead = os.path.join(pair.dir, "dead-letters.jsonl")
    pair.sink_extra = pair.sink.reject_yaml(REJECT_CONDITION) + f"\n    on_error: dead_letter\n    dead_letter_path: {dead}"
    pair.feed(range(300))
    run = pair.start("finite")
    code = run.wait(timeout=60)
    assert code == 0, f"exit {code}:\n{run.tail()}"
    pair.finish(run)
    kept = [i for i in pair.fed if i not in REJECTED]
    assert_exact(pair.delivered(), kept, "the records the sink did not refuse")
    letters = [json.loads(line) for line in open(dead)] if os.path.exists(dead) else []
    dead_numbers = sorted(l["record"]["value"]["n"] for l in letters)
    assert dead_numbers == REJECTED, f"dead letters {dead_numbers}, expected {REJECTED}"
    assert all(l["stage"] == "sink" and l["error"]["message"] for l in letters), letters[:2]
    return f"{len(kept)} delivered, {len(letters)} dead-lettered"
