#!/usr/bin/env bash
# Runs fuzz harnesses one after the other (make fuzz; README "Fuzzing").
#   tests/fuzz/run.sh BUILD_DIR SECONDS NAME...
# Each harness starts from its checked-in seeds (tests/fuzz/corpus/NAME) plus what earlier runs found
# (BUILD_DIR/corpus/NAME, where new inputs go: the repository's seeds stay small), with NAME.dict if there is one.
# A crash, leak, timeout or out-of-memory input is written to BUILD_DIR/crashes/NAME/ and named at the end; the
# script then fails. Per harness it prints one tally line: seconds, executions, corpus size, findings.
set -u
build=$1 seconds=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
failed=()
for name in "$@"; do
  exe="$build/tests/fuzz/fuzz_$name"
  [ -x "$exe" ] || { echo "fuzz: $exe is not built"; exit 2; }
  work="$build/corpus/$name" crashes="$build/crashes/$name"
  mkdir -p "$work" "$crashes"
  dict=()
  [ -f "$here/$name.dict" ] && dict=("-dict=$here/$name.dict")
  log="$build/fuzz-$name.log"
  before=$(ls "$crashes" | wc -l) started=$(date +%s)
  echo "fuzz $name: ${seconds}s (log: $log)"
  # -timeout: an input that takes 10 s is a hang; -rss_limit_mb: one that needs 2 GB is a finding too.
  UBSAN_OPTIONS=print_stacktrace=1 nice -n 10 "$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$crashes/" "${dict[@]}" "$work" "$here/corpus/$name" >"$log" 2>&1
  status=$? ran=$(( $(date +%s) - started ))
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  found=$(( $(ls "$crashes" | wc -l) - before ))
  echo "fuzz $name: $ran s, ${execs:-?} executions, corpus $(ls "$work" | wc -l) + $(ls "$here/corpus/$name" | wc -l) seeds, $found new findings (exit $status)"
  if [ "$status" -ne 0 ] || [ "$found" -gt 0 ]; then
    grep -m1 -E "^==[0-9]+==ERROR|runtime error|^SUMMARY" "$log" | sed 's/^/  /'
    for f in $(ls -t "$crashes" | head -n "$((found > 0 ? found : 1))"); do
      echo "  reproduce: $exe $crashes/$f"
    done
    failed+=("$name")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: findings in: ${failed[*]} (reproducers under $build/crashes/)"
  exit 1
fi
