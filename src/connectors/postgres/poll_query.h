// PollQuery: the SQL one poll of the `postgres` query source runs, by mode, as Kafka Connect's JDBC source does:
//   bulk                    every row, every poll
//   incrementing            rows whose incrementing_column is above the last value seen, in its order
//   timestamp               rows whose timestamp_column is after the last one seen and at least timestamp_delay
//                           old (a margin for transactions that commit late), in its order
//   timestamp+incrementing  (timestamp, incrementing) after the last pair seen: ties on the timestamp are kept
// The last value seen is a Position: major = the incrementing value, or the timestamp in µs since the epoch;
// minor = the incrementing value in timestamp+incrementing. A timestamp column is also read as µs through an extra
// last column (pipe_ts_us), so that comparisons are exact and no text is parsed.
#pragma once

#include <string>

#include "connectors/postgres/pg_session.h"
#include "core/position.h"

namespace pipeline::postgres {

enum class PollMode { kBulk, kIncrementing, kTimestamp, kTimestampIncrementing };

struct PollQuerySettings {
  PollMode mode = PollMode::kBulk;
  std::string query;  // a SELECT, or empty with `table` set
  std::string table;
  std::string incrementing_column;
  std::string timestamp_column;
  int64_t timestamp_delay_ms = 0;
};

struct PollQuery {
  std::string sql;
  Params params;
  bool has_ts_column = false;  // the result's last column is pipe_ts_us
};

// The statement of a poll that resumes after `last` (invalid: from the start).
PollQuery BuildPollQuery(const PollQuerySettings& settings, const Position& last);

bool UsesTimestamp(PollMode mode);
bool UsesIncrementing(PollMode mode);

}  // namespace pipeline::postgres
