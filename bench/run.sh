#!/usr/bin/env bash
# Runs every benchmark of pipe against its peers and prints one line per comparison:
#   bench NAME: pipe X UNIT, PEER Y UNIT, ratio R, results equal|DIFFER
# Usage: bash bench/run.sh [BUILD_DIR]     (make bench passes $(BUILD); default build)
# Details of each run (timings of every side, differences found) go to bench/data/out/bench.log.
# Environment: BENCH_REPEAT (runs per side, fastest counts; default 3), BENCH_CPU (core to pin to; default 0),
#              BENCH_ONLY (space-separated names to run, e.g. "file-filter-jq nexmark").
set -uo pipefail

BUILD="${1:-build}"
cd "$(dirname "$0")/.."
BENCH=bench
DATA="$BENCH/data"
LOG="$DATA/out/bench.log"
mkdir -p "$DATA/out"
: > "$LOG"

want() { [ -z "${BENCH_ONLY:-}" ] || [[ " $BENCH_ONLY " == *" $1 "* ]]; }

# Inputs: generated once, reused while the line count matches.
CLICKS="$DATA/clickstream.jsonl"
if [ ! -f "$CLICKS" ] || [ "$(wc -l < "$CLICKS")" -ne 1000000 ]; then
  echo "generating $CLICKS (1,000,000 lines)..." >&2
  python3 "$BENCH/gen_clickstream.py" --lines 1000000 --out "$CLICKS" || { echo "bench: data generation failed" >&2; exit 1; }
fi

# Peers: jq from Debian (make test-deps), DuckDB from npm into bench/duckdb/node_modules.
if [ ! -d "$BENCH/duckdb/node_modules/@duckdb/node-api" ]; then
  echo "installing @duckdb/node-api into bench/duckdb/node_modules..." >&2
  (cd "$BENCH/duckdb" && npm install --no-audit --no-fund --silent) >&2 || echo "bench: npm install failed" >&2
fi
command -v jq > /dev/null || echo "bench: jq not installed (make test-deps)" >&2

run() {  # run NAME SCRIPT [ARGS...]
  local name="$1"; shift
  want "$name" || return 0
  echo "== $name" >> "$LOG"
  python3 "$@" --build "$BUILD" 2>> "$LOG" || echo "bench $name: harness failed (see $LOG)"
}

run file-filter-jq "$BENCH/file_filter_jq.py"
run sql-filter-duckdb "$BENCH/sql_filter_duckdb.py"
run sql-tumbling-duckdb "$BENCH/sql_tumbling_duckdb.py"
run nexmark "$BENCH/nexmark/run_nexmark.py"
run nexmark-check "$BENCH/nexmark/check_duckdb.py"
run elasticsearch "$BENCH/elasticsearch/run_elasticsearch.py"
run tap "$BENCH/tap/run_tap.py"

# The syslog benchmark belongs to the syslog source (bench/syslog/): pipe against rsyslog's imtcp -> omfile.
run syslog "$BENCH/syslog/run_syslog.py"

# The PostgreSQL benchmarks belong to postgres_cdc and the postgres sink (bench/postgres/): pipe against
# pg_recvlogical and against PostgreSQL's own logical replication, on a private server of tests/support.
run postgres "$BENCH/postgres/run_postgres.py"

# The MariaDB benchmarks (bench/mariadb/), on a private server of tests/support: mysql_cdc against mariadb-binlog
# reading the same binlog, and the mysql sink upserting rows against LOAD DATA LOCAL INFILE.
run mariadb "$BENCH/mariadb/run_mariadb.py"
run mysql-sink "$BENCH/mariadb/run_mysql_sink.py"

# The Kafka benchmarks belong to the Kafka connector (bench/kafka/); they print their own lines.
if [ -f "$BENCH/kafka/run.sh" ] && want kafka; then
  bash "$BENCH/kafka/run.sh" "$BUILD"
fi
