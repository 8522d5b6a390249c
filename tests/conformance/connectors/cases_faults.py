"""The fault cases: SIGKILL at random moments, and the server down at start and again mid-run."""
import random
import time

from connectors.cases import requires
from connectors.numbered import assert_exact, assert_none_missing, gaps_in_restarting_sequence

KILLS = 20
TOTAL = 3000  # numbered records through the kill loop


def sigkill_loop_conserves_records(pair, docs):
    """At least KILLS SIGKILLs at random moments, then a clean run: every acknowledged input is downstream.

    A replayable source is fed in pieces while runs come and go (as in production) and must deliver every number at
    least once over all runs. A source without positions starts over in every run: each run's output must be a
    gap-free prefix, and a clean run delivers everything (a finite one ends by itself; a listener's is stopped
    once everything arrived)."""
    rng = random.Random(f"{pair.fixture.kind}-{pair.fixture.name}")
    if pair.source.replayable:
        kills = _kill_replayable(pair, rng)
        run = pair.start("continuous")
        pair.wait_delivered(pair.fed, timeout=90, run=run)
        code, _ = run.terminate()
    else:
        kills = _kill_restarting(pair, rng)
        if pair.source.finite:
            run = pair.start("finite")
            code = run.wait(timeout=90)
        else:  # a listener (syslog) never ends by itself: the clean run is stopped once everything arrived
            run = pair.start("continuous")
            pair.wait_delivered(pair.fed, timeout=90, run=run)
            code, _ = run.terminate()
    pair.finish(run)
    assert code == 0, f"the clean run after the kills exited {code}:\n{run.tail()}"
    delivered = pair.delivered()
    assert_none_missing(delivered, pair.fed, f"after {kills} kills")
    if delivered.ids is not None and not pair.source.replayable:
        gaps = gaps_in_restarting_sequence(delivered.ids)
        assert not gaps, f"numbers skipped within a run (index, before, after): {gaps[:5]}"
    if _promises_exactly_once(pair):
        assert_exact(delivered, pair.fed, f"exactly once after {kills} kills")
    return f"{kills} kills, {delivered.describe(pair.fed)}"


def _promises_exactly_once(pair):
    """A sink whose fixture delivers each record once (postgres with exactly_once: positions committed with the
    rows; elasticsearch with ids from positions: a replay overwrites) behind a source with stable positions. kafka's
    exactly_once is not among them: it needs a real cluster (the mock drops transactional offsets)."""
    return pair.sink.exactly_once and pair.source.stable_positions


def _kill_replayable(pair, rng):
    per_run = TOTAL // KILLS
    kills = attempts = 0
    while kills < KILLS:
        attempts += 1
        assert attempts <= 3 * KILLS, f"only {kills} of {attempts} kills landed mid-run"
        run = pair.start("continuous")
        pieces = 3
        for _ in range(pieces):  # input keeps arriving while the run goes
            start = len(pair.fed)
            pair.feed(range(start, start + per_run // pieces))
            time.sleep(rng.uniform(0.02, 0.25))
        kills += run.kill()
        pair.finish(run)
    return kills


def _kill_restarting(pair, rng):
    pair.feed(range(TOTAL))
    kills = attempts = 0
    while kills < KILLS:
        attempts += 1
        assert attempts <= 3 * KILLS, f"only {kills} of {attempts} kills landed mid-run"
        run = pair.start("continuous")  # paced (stdin pump, generator rate): kills land while records flow
        time.sleep(rng.uniform(0.05, 0.5))
        kills += run.kill()
        pair.finish(run)
    return kills


def server_down_at_start_and_mid_run(pair, docs):
    """The server is down when pipe starts and again mid-run: it retries, resumes and loses nothing."""
    requires(pair, "needs_server")
    fx = pair.fixture
    pair.feed(range(300))
    fx.target_down()
    run = pair.start("continuous")
    time.sleep(3)
    assert run.alive(), f"pipe exited {run.proc.returncode} while the server was down at start:\n{run.tail()}"
    fx.target_up()
    pair.wait_delivered(pair.fed, run=run)
    pair.feed(range(300, 600))
    fx.target_down()
    time.sleep(3)
    assert run.alive(), f"pipe exited {run.proc.returncode} while the server was down mid-run:\n{run.tail()}"
    fx.target_up()
    pair.wait_delivered(pair.fed, run=run)
    code, _ = run.terminate()
    pair.finish(run)
    assert code == 0, f"exit {code} after SIGTERM:\n{run.tail()}"
    delivered = pair.delivered()
    assert_none_missing(delivered, pair.fed, "after two outages")
    return delivered.describe(pair.fed)
