"""Numbered records and the conservation checks over them.

Every input record is {"n": i, "pad": ...}; a case knows which numbers went in and compares them with what a sink
delivered. A sink that keeps nothing (blackhole) reports a count instead of numbers: Delivery.ids is None."""
import json

PAD = "x" * 40


def record_line(i):
    return json.dumps({"n": i, "pad": PAD}, separators=(",", ":"))


def numbers_in_lines(lines):
    """The n of each JSON line; a torn last line (the process was killed mid-write) or a foreign line is ignored."""
    out = []
    for line in lines:
        try:
            out.append(int(json.loads(line)["n"]))
        except (ValueError, KeyError, TypeError):
            pass
    return out


class Delivery:
    """What a sink delivered, in delivery order where the sink keeps order."""

    def __init__(self, ids=None, count=None):
        self.ids = ids
        self.count = len(ids) if ids is not None else count

    def covers(self, expected):
        """Everything expected is there (for a count: at least as many records)."""
        if self.ids is None:
            return self.count >= len(expected)
        return not set(expected) - set(self.ids)

    def missing_and_repeated(self, expected):
        """(missing numbers, repeated records); for a count: (how many short of expected, how many over)."""
        if self.ids is None:
            return max(0, len(expected) - self.count), max(0, self.count - len(expected))
        missing = sorted(set(expected) - set(self.ids))
        return missing, len(self.ids) - len(set(self.ids))

    def describe(self, expected):
        missing, repeated = self.missing_and_repeated(expected)
        n_missing = missing if isinstance(missing, int) else len(missing)
        example = "" if isinstance(missing, int) or not missing else f" (e.g. {missing[:5]})"
        return f"{self.count} delivered of {len(expected)}: {n_missing} missing{example}, {repeated} repeated"


def assert_exact(delivery, expected, what):
    missing, repeated = delivery.missing_and_repeated(expected)
    assert not missing and not repeated, f"{what}: {delivery.describe(expected)}"


def assert_none_missing(delivery, expected, what):
    missing, _ = delivery.missing_and_repeated(expected)
    assert not missing, f"{what}: {delivery.describe(expected)}"


def gaps_in_restarting_sequence(ids):
    """A source without positions starts over at 0 when the pipeline restarts (generator) or goes on (stdin): in
    delivery order each number is the previous plus one, or 0. Returns the places where that does not hold."""
    gaps = []
    prev = -1
    for i, n in enumerate(ids):
        if n != prev + 1 and n != 0:
            gaps.append((i, prev, n))
        prev = n
    return gaps
