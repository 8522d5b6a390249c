// PositionLedger: the one ledger every source shares. When a source's batch is issued, the ledger keeps the
// batch's progress (per lane, where the source resumes once the batch is delivered); when the acknowledgement
// tracker says every batch up to N completed, the progress of those batches becomes the acknowledged position of
// their lanes, and that is what the source's Commit() persists. A batch of progress alone (a keepalive's LSN, the
// position after skipped records) moves its lanes once everything before it is acknowledged.
//
// Within a lane a source hands out progress in order, so the latest acknowledged batch's entry is the lane's
// position; the ledger never compares values. Source thread only.
#pragma once

#include <cstdint>
#include <deque>
#include <utility>
#include <vector>

#include "core/position.h"

namespace pipeline {

class PositionLedger {
 public:
  // The batch with sequence number `seq` (increasing by one per issued batch) resumes its lanes at `progress`.
  void Seal(uint64_t seq, std::vector<Position> progress);
  // Every batch with sequence <= seq is delivered. Returns true when some lane's position moved.
  bool Acknowledge(uint64_t seq);
  const LanePositions& acknowledged() const { return acknowledged_; }
  // Lanes this source no longer owns (Kafka partitions given up in a rebalance): drop what is known of them.
  void Forget(const std::vector<LaneId>& lanes);
  size_t pending_batches() const { return sealed_.size(); }

 private:
  std::deque<std::pair<uint64_t, std::vector<Position>>> sealed_;
  LanePositions acknowledged_;
};

}  // namespace pipeline
