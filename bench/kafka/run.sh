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

"$MOCK" --brokers 3 --topic clicks:$PARTITIONS --topic kcat_out:$PARTITIONS --topic pipe_out:$PARTITIONS \
  > "$WORK/mock.out" 2> "$WORK/mock.err" &
MOCK_PID=$!
for _ in $(seq 100); do grep -q '^BOOTSTRAP=' "$WORK/mock.out" && break; sleep 0.1; done
B=$(sed -n 's/^BOOTSTRAP=//p' "$WORK/mock.out")
[ -n "$B" ] || { echo "mock cluster did not start: $(cat "$WORK/mock.err")" >&2; exit 1; }

EXPECTED=$(python3 "$HERE/gen_clickstream.py" "$WORK/clicks.jsonl" "$N")
# kcat defaults (small lz4 batches): the mock drops whole old message sets past 5 MiB per partition, and
# bigger batches made it drop more in our runs.
kcat -b "$B" -P -t clicks -z lz4 -l "$WORK/clicks.jsonl"
IN=$(kcat -b "$B" -C -t clicks -o beginning -e -q -f '.' | wc -c)
[ "$IN" -eq "$N" ] || { echo "input topic holds $IN of $N messages (mock retention)" >&2; exit 1; }

now() { date +%s.%N; }

# kcat: consume everything once and produce it again (no filter: kcat cannot filter).
T0=$(now)
kcat -b "$B" -C -t clicks -o beginning -e -q -f '%s\n' -X fetch.wait.max.ms=100 \
  | kcat -b "$B" -P -t kcat_out -z lz4 -X linger.ms=5 -X batch.num.messages=10000
T1=$(now)
KCAT_OUT=$(kcat -b "$B" -C -t kcat_out -o beginning -e -q -f '.' | wc -c)

cat > "$WORK/bench.yaml" <<YAML
sources:
  clicks:
    type: kafka
    bootstrap_servers: $B
    topics: [clicks]
    group_id: bench-pipe
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
    topic: pipe_out
    compression: lz4
    linger: 5ms
    batch_messages: 10000
YAML
T2=$(now)
"$PIPE" run "$WORK/bench.yaml" --state-dir "$WORK/state" 2> "$WORK/pipe.err" || {
  echo "pipe failed:" >&2; cat "$WORK/pipe.err" >&2; exit 1; }
T3=$(now)
kcat -b "$B" -C -t pipe_out -o beginning -e -q -f '%s\n' > "$WORK/pipe_out.jsonl"
PIPE_OUT=$(wc -l < "$WORK/pipe_out.jsonl")

RESULT=$(python3 "$HERE/compare_outputs.py" "$WORK/clicks.jsonl" "$WORK/pipe_out.jsonl" 1)
[ "$KCAT_OUT" -eq "$N" ] || RESULT="DIFFER (kcat moved $KCAT_OUT of $N)"
[ "$RESULT" = equal ] && RESULT=equal || RESULT="DIFFER ($RESULT)"

python3 - "$N" "$T0" "$T1" "$T2" "$T3" "$RESULT" "$PIPE_OUT" "$EXPECTED" "$KCAT_OUT" <<'PY'
import sys
n, t0, t1, t2, t3 = int(sys.argv[1]), *map(float, sys.argv[2:6])
result, pipe_out, expected, kcat_out = sys.argv[6], sys.argv[7], sys.argv[8], sys.argv[9]
kcat = n / (t1 - t0)
pipe = n / (t3 - t2)
print(f"bench kafka-filter: pipe {pipe:,.0f} msg/s, kcat {kcat:,.0f} msg/s, ratio {pipe / kcat:.2f}, "
      f"results {result}")
print(f"  notes: {n:,} input messages; pipe wrote {pipe_out} (status >= 400: {expected} expected) in "
      f"{t3 - t2:.2f} s (process start to exit; assignment: all, Filter status >= 400); kcat copied {kcat_out} in {t1 - t0:.2f} s without filtering")
PY
