// RecordRejections: how a sink reports single records of a batch that its target refused (an Elasticsearch bulk
// item error, an HTTP 400, a constraint violation) while it delivers the rest, like Redpanda Connect's
// BatchError.Failed(i, err) or Vector's per-event EventStatus::Rejected.
//
// A rejected record keeps the acknowledgement tokens of its batch: the sink may drop the batch as soon as the rest
// is durable, and the batch is acknowledged only once the runtime has settled every rejection by the sink's
// on_error (fail: stop the pipeline naming the record; skip: count it; dead_letter: write it, fsync, then release).
// Thread-safe: a sink may reject from a client callback thread, as long as it does so before the Flush() that
// covers the record returns.
#pragma once

#include <mutex>
#include <utility>
#include <vector>

#include "core/record.h"
#include "core/result.h"

namespace pipeline {

struct RejectedRecord {
  Record record;
  Error error;                  // kData: the record is bad for this target; the message says why
  std::vector<AckToken> acks;   // the batch's tokens, held until the rejection is settled
};

class RecordRejections {
 public:
  // Marks batch.records[index] as not delivered because of `error`.
  void Reject(const Batch& batch, size_t index, Error error) {
    RejectedRecord rejected{batch.records.at(index), std::move(error), batch.acks};
    std::lock_guard lock(mu_);
    rejected_.push_back(std::move(rejected));
  }
  // The rejections not yet settled, oldest first; called by the runtime on the sink's thread.
  std::vector<RejectedRecord> Take() {
    std::lock_guard lock(mu_);
    return std::exchange(rejected_, {});
  }

 private:
  std::mutex mu_;
  std::vector<RejectedRecord> rejected_;
};

}  // namespace pipeline
