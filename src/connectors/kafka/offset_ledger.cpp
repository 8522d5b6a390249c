#include "connectors/kafka/offset_ledger.h"

#include <algorithm>

namespace pipeline::kafka {

void OffsetLedger::Note(const std::string& topic, int32_t partition, int64_t offset) {
  if (last_hit_ < open_.size()) {
    Entry& e = open_[last_hit_];
    if (e.tp.partition == partition && e.tp.topic == topic) {
      e.next_offset = std::max(e.next_offset, offset + 1);
      return;
    }
  }
  for (size_t i = 0; i < open_.size(); ++i) {
    Entry& e = open_[i];
    if (e.tp.partition == partition && e.tp.topic == topic) {
      e.next_offset = std::max(e.next_offset, offset + 1);
      last_hit_ = i;
      return;
    }
  }
  open_.push_back({{topic, partition}, offset + 1});
  last_hit_ = open_.size() - 1;
}

void OffsetLedger::Seal(uint64_t seq) {
  sealed_.emplace_back(seq, std::move(open_));
  open_.clear();
  last_hit_ = 0;
}

void OffsetLedger::Merge(const std::vector<Entry>& entries) {
  for (const Entry& e : entries) {
    auto [it, inserted] = acknowledged_.emplace(e.tp, e.next_offset);
    if (!inserted) it->second = std::max(it->second, e.next_offset);
  }
}

const CommitOffsets& OffsetLedger::Acknowledge(uint64_t seq) {
  while (!sealed_.empty() && sealed_.front().first <= seq) {
    Merge(sealed_.front().second);
    sealed_.pop_front();
  }
  return acknowledged_;
}

void OffsetLedger::Forget(const std::set<TopicPartition>& partitions) {
  auto drop = [&](std::vector<Entry>& entries) {
    std::erase_if(entries, [&](const Entry& e) { return partitions.count(e.tp) > 0; });
  };
  drop(open_);
  last_hit_ = 0;
  for (auto& [seq, entries] : sealed_) drop(entries);
  for (const auto& tp : partitions) acknowledged_.erase(tp);
}

CommitOffsets OffsetLedger::AcknowledgedFor(const std::set<TopicPartition>& partitions) const {
  CommitOffsets out;
  for (const auto& [tp, offset] : acknowledged_)
    if (partitions.count(tp)) out.emplace(tp, offset);
  return out;
}

}  // namespace pipeline::kafka
