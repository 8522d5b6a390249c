// HeldBatches: the batches a database sink holds between flushes, and when the shared `batch` option says to write
// them. The batches are acknowledged only when the sink drops them after its COMMIT.
#pragma once

#include <chrono>
#include <vector>

#include "core/record.h"
#include "plugin/batch_options.h"

namespace pipeline::sql_sink {

class HeldBatches {
 public:
  // Holds `batch` unless it is the last one held already (a Write retried after its flush failed brings the same
  // batch again).
  void Add(BatchPtr batch);
  // A limit of `limits` is reached: write now.
  bool Full(const BatchLimits& limits) const;
  bool empty() const { return batches_.empty(); }
  const std::vector<BatchPtr>& batches() const { return batches_; }
  void Clear();

 private:
  std::vector<BatchPtr> batches_;
  size_t records_ = 0;
  size_t bytes_ = 0;  // ApproximateBytes of the held records' keys and values
  std::chrono::steady_clock::time_point oldest_;
};

}  // namespace pipeline::sql_sink
