#include "runtime/position_ledger.h"

#include <algorithm>

namespace pipeline {

void PositionLedger::Seal(uint64_t seq, std::vector<Position> progress) {
  if (progress.empty()) return;  // nothing to move: a batch of records whose source has no positions
  sealed_.emplace_back(seq, std::move(progress));
}

bool PositionLedger::Acknowledge(uint64_t seq) {
  bool moved = false;
  while (!sealed_.empty() && sealed_.front().first <= seq) {
    for (const Position& p : sealed_.front().second) {
      Position& at = acknowledged_[p.lane];
      if (at != p) {
        at = p;
        moved = true;
      }
    }
    sealed_.pop_front();
  }
  return moved;
}

void PositionLedger::Forget(const std::vector<LaneId>& lanes) {
  auto gone = [&](const Position& p) { return std::find(lanes.begin(), lanes.end(), p.lane) != lanes.end(); };
  for (auto& [seq, progress] : sealed_) std::erase_if(progress, gone);
  for (LaneId lane : lanes) acknowledged_.erase(lane);
}

}  // namespace pipeline
