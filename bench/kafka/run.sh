#!/usr/bin/env bash
# Kafka -> Kafka throughput, pipe against kcat, both through librdkafka's mock cluster on this machine.
#
#   bench/kafka/run.sh BUILD_DIR [MESSAGES]
#
# Input: 1,000,000 clickstream JSON records (~165 B) in a 64-partition lz4 topic (64 partitions because the mock
# keeps at most 5 MiB per partition). kcat moves them with `kcat -C -e | kcat -P`; pipe reads them with a kafka
# source, keeps `status >= 400` (Filter transform) and writes a 64-partition lz4 topic, ending at the input's end.
# Prints: bench kafka-filter: pipe X msg/s, kcat Y msg/s, ratio R, results equal|DIFFER
set -euo pipefail
BUILD=$(cd "${1:?usage: run.sh BUILD_DIR [MESSAGES]}" && pwd)
N=${2:-1000000}
HERE=$(cd "$(dirname "$0")" && pwd)
PIPE=$BUILD/pipe
MOCK=$BUILD/tests/support/kafka_mock_cluster
WORK=$(mktemp -d /tmp/pipe-bench-kafka.XXXXXX)
PARTITIONS=64

cleanup() {
  [ -n "${MOCK_PID:-}" ] && kill "$MOCK_PID" 2>/dev/null && wait "$MOCK_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

"$MOCK" --brokers 3 --topic clicks:$PARTITIONS \
  $(for i in $(seq "${BENCH_REPEAT:-3}"); do echo "--topic kcat_out_$i:$PARTITIONS --topic kcatq_out_$i:$PARTITIONS --topic pipe_out_$i:$PARTITIONS"; done) \
  > "$WORK/mock.out" 2> "$WORK/mock.err" &
MOCK_PID=$!
for _ in $(seq 100); do grep -qs "^BOOTSTRAP=" "$WORK/mock.out" && break; sleep 0.1; done
B=$(sed -n 's/^BOOTSTRAP=//p' "$WORK/mock.out")
[ -n "$B" ] || { echo "mock cluster did not start: $(cat "$WORK/mock.err")" >&2; exit 1; }

EXPECTED=$(python3 "$HERE/gen_clickstream.py" "$WORK/clicks.jsonl" "$N")
# kcat defaults (small lz4 batches): the mock drops whole old message sets past 5 MiB per partition, and
# bigger batches made it drop more in our runs.
kcat -b "$B" -P -t clicks -z lz4 -l "$WORK/clicks.jsonl"
IN=$(kcat -b "$B" -C -t clicks -o beginning -e -q -f '.' | wc -c)
[ "$IN" -eq "$N" ] || { echo "input topic holds $IN of $N messages (mock retention)" >&2; exit 1; }

REPEAT=${BENCH_REPEAT:-3}
LOG=$WORK/runs.txt
: > "$LOG"

# One run of each side, interleaved (kcat, pipe, kcat, pipe, ...) so that both meet the same load; every run
# writes a fresh topic (and pipe uses a fresh group: a group's committed offsets would make it resume).
for i in $(seq "$REPEAT"); do
  # kcat: consume everything once and produce it again (no filter: kcat cannot filter).
  python3 "$HERE/timed.py" "$MOCK_PID" "$WORK/kcat.err" "$LOG" "kcat $i" -- sh -c \
    "kcat -b '$B' -C -t clicks -o beginning -e -q -f '%s\\n' -X fetch.wait.max.ms=100 \
     | kcat -b '$B' -P -t kcat_out_$i -z lz4 -X linger.ms=5 -X batch.num.messages=10000"
  # The same kcat pipe with pipe's consumer queue settings (kafka_source.cpp): librdkafka 2.0 stops fetching
  # while 100,000 messages (its default) are queued and looks again only a second later, which kcat's defaults meet.
  python3 "$HERE/timed.py" "$MOCK_PID" "$WORK/kcat.err" "$LOG" "kcat-queue $i" -- sh -c \
    "kcat -b '$B' -C -t clicks -o beginning -e -q -f '%s\\n' -X fetch.wait.max.ms=100 \
       -X queued.min.messages=10000000 -X queued.max.messages.kbytes=262144 \
     | kcat -b '$B' -P -t kcatq_out_$i -z lz4 -X linger.ms=5 -X batch.num.messages=10000"

  cat > "$WORK/bench.yaml" <<YAML
sources:
  clicks:
    type: kafka
    bootstrap_servers: $B
    topics: [clicks]
    group_id: bench-pipe-$i
    assignment: all        # a one-process batch job: no group join (the mock waits 3 s before a first join)
    stop_at_end: true
    batch_size: 5000
    transforms:
      - {type: Filter, condition: "status >= 400"}
sinks:
  errors:
    type: kafka
    inputs: [clicks]
    bootstrap_servers: $B
    topic: pipe_out_$i
    compression: lz4
    linger: 5ms
    batch_messages: 10000
YAML
  rm -rf "$WORK/state"
  python3 "$HERE/timed.py" "$MOCK_PID" "$WORK/pipe.err" "$LOG" "pipe $i" -- \
    "$PIPE" run "$WORK/bench.yaml" --state-dir "$WORK/state" || {
    echo "pipe failed:" >&2; cat "$WORK/pipe.err" >&2; exit 1; }
done

RESULT=equal
for i in $(seq "$REPEAT"); do
  KCAT_OUT=$(kcat -b "$B" -C -t kcat_out_$i -o beginning -e -q -f '.' | wc -c)
  [ "$KCAT_OUT" -eq "$N" ] || RESULT="DIFFER (kcat run $i moved $KCAT_OUT of $N)"
  KCATQ_OUT=$(kcat -b "$B" -C -t kcatq_out_$i -o beginning -e -q -f '.' | wc -c)
  [ "$KCATQ_OUT" -eq "$N" ] || RESULT="DIFFER (kcat-queue run $i moved $KCATQ_OUT of $N)"
  kcat -b "$B" -C -t pipe_out_$i -o beginning -e -q -f '%s\n' > "$WORK/pipe_out.jsonl"
  R=$(python3 "$HERE/compare_outputs.py" "$WORK/clicks.jsonl" "$WORK/pipe_out.jsonl" 1)
  [ "$R" = equal ] || RESULT="DIFFER (pipe run $i: $R)"
done
PIPE_OUT=$(wc -l < "$WORK/pipe_out.jsonl")

python3 - "$N" "$LOG" "$RESULT" "$PIPE_OUT" "$EXPECTED" <<'PY'
import statistics, sys
n, log, result, pipe_out, expected = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
runs = {"kcat": [], "kcat-queue": [], "pipe": []}
for line in open(log):
    side, i, wall, cpu, mock = line.split()
    runs[side].append((float(wall), float(cpu), float(mock)))
best = {side: min(r[0] for r in rs) for side, rs in runs.items()}
pipe, kcat = n / best["pipe"], n / best["kcat"]
print(f"bench kafka-filter: pipe {pipe:,.0f} msg/s, kcat {kcat:,.0f} msg/s, ratio {pipe / kcat:.2f}, "
      f"results {result}")
def show(side):
    rs = runs[side]
    med = lambda k: statistics.median(r[k] for r in rs)
    walls = ", ".join(f"{r[0]:.2f}" for r in rs)
    cpus = ", ".join(f"{r[1]:.2f}" for r in rs)
    mocks = ", ".join(f"{r[2]:.2f}" for r in rs)
    return (f"{side}: wall {walls} s (median {med(0):.2f}); CPU {cpus} s (median {med(1):.2f}); "
            f"mock cluster CPU meanwhile {mocks} s")
print(f"  notes: best of {len(runs['pipe'])} interleaved runs per side; {n:,} input messages; pipe wrote {pipe_out} "
      f"(status >= 400: {expected} expected; assignment: all, Filter status >= 400), kcat copied all without filtering")
print(f"  {show('kcat')}")
print(f"  {show('kcat-queue')}")
print(f"  against kcat with pipe's consumer queue settings (queued.min.messages=10000000, "
      f"queued.max.messages.kbytes=262144): ratio {pipe / (n / best['kcat-queue']):.2f}")
print(f"  {show('pipe')}")
print(f"  median wall ratio {statistics.median(r[0] for r in runs['kcat']) / statistics.median(r[0] for r in runs['pipe']):.2f}, "
      f"CPU ratio (kcat+mock)/(pipe+mock) of the medians "
      f"{(statistics.median(r[1] + r[2] for r in runs['kcat'])) / statistics.median(r[1] + r[2] for r in runs['pipe']):.2f}")
PY
