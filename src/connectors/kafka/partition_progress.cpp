#include "connectors/kafka/partition_progress.h"

namespace pipeline::kafka {

void PartitionProgress::Assign(const CommitOffsets& end_offsets) {
  for (const auto& [tp, end] : end_offsets) {
    State& s = states_[tp];
    s = State{};
    s.end_at_assign = end;
    s.reached_end = end == 0;  // an empty partition has nothing to wait for
  }
}

void PartitionProgress::Revoke(const std::set<TopicPartition>& partitions) {
  for (const auto& tp : partitions) states_.erase(tp);
}

void PartitionProgress::Advance(const TopicPartition& tp, int64_t next_offset) {
  auto it = states_.find(tp);
  if (it == states_.end()) return;
  State& s = it->second;
  if (next_offset > s.next_offset) s.next_offset = next_offset;
  if (s.end_at_assign >= 0 && s.next_offset >= s.end_at_assign) s.reached_end = true;
}

void PartitionProgress::ReachedEof(const TopicPartition& tp, int64_t offset) {
  auto it = states_.find(tp);
  if (it == states_.end()) return;
  if (offset > it->second.next_offset) it->second.next_offset = offset;
  // The end seen now is at or after the end at assignment: everything that was there has been read.
  it->second.reached_end = true;
}

bool PartitionProgress::AllReachedEnd() const {
  if (states_.empty()) return false;
  for (const auto& [tp, s] : states_)
    if (!s.reached_end) return false;
  return true;
}

}  // namespace pipeline::kafka
