// `batch: {max_records, max_bytes, max_age}`: the one spelling of how a sink groups records into requests
// (http's ndjson/json_array bodies, Elasticsearch bulk requests, database inserts). A sink adds BatchOption() with
// its own defaults to its spec, reads the limits back with ParseBatchOptions, and may hold records in a
// BatchAccumulator until one limit is reached.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "core/record.h"
#include "core/result.h"
#include "plugin/options.h"
#include "plugin/spec.h"

namespace pipeline {

struct BatchLimits {
  size_t max_records = 500;
  size_t max_bytes = 1 << 20;
  std::chrono::milliseconds max_age{1000};  // the oldest record held waits at most this long
};

// The `batch` option, with `defaults` as its fields' documented defaults.
OptionSpec BatchOption(const BatchLimits& defaults, std::string description = "When a request is sent: as soon as "
                                                                             "one of these limits is reached.");

// The `batch` object of `options`; each field absent keeps its default (as declared by BatchOption). Errors:
// a limit that is not positive.
Result<BatchLimits> ParseBatchOptions(const Options& options, const std::string& name = "batch");

// One record held for a later request; holding its batch holds the batch's acknowledgement tokens.
struct HeldRecord {
  BatchPtr batch;
  size_t index = 0;
  size_t bytes = 0;
  const Record& record() const { return batch->records[index]; }
};

// Records held until a limit of BatchLimits is reached. Not thread-safe: one per sink thread.
class BatchAccumulator {
 public:
  using Clock = std::chrono::steady_clock;
  explicit BatchAccumulator(BatchLimits limits) : limits_(limits) {}

  // True when adding a record of `bytes` would pass max_bytes: take what is held first. Never for an empty
  // accumulator, so that a record larger than max_bytes still goes out, alone.
  bool WouldOverflow(size_t bytes) const { return !held_.empty() && bytes_ + bytes > limits_.max_bytes; }
  // Holds batch->records[index]; returns true when max_records or max_bytes is reached (take them now).
  bool Add(const BatchPtr& batch, size_t index, size_t bytes, Clock::time_point now = Clock::now());
  // True when the oldest record held has waited max_age.
  bool Due(Clock::time_point now = Clock::now()) const;
  std::vector<HeldRecord> Take();

  bool empty() const { return held_.empty(); }
  size_t records() const { return held_.size(); }
  size_t bytes() const { return bytes_; }
  const BatchLimits& limits() const { return limits_; }

 private:
  BatchLimits limits_;
  std::vector<HeldRecord> held_;
  size_t bytes_ = 0;
  Clock::time_point oldest_{};
};

}  // namespace pipeline
