#include "connectors/kafka/partition_progress.h"

#include "observability/metrics.h"

namespace pipeline::kafka {

void PartitionProgress::Assign(const CommitOffsets& end_offsets) {
  for (const auto& [tp, end] : end_offsets) {
    State& s = states_[tp];
    s = State{};
    s.end_at_assign = end;
    s.reached_end = end == 0;  // an empty partition has nothing to wait for
    if (metrics_) {
      s.lag = metrics_->GetGauge("pipe_kafka_consumer_lag",
                                 {{"source", source_name_}, {"topic", tp.topic},
                                  {"partition", std::to_string(tp.partition)}},
                                 "Messages between the source's position and the partition's end");
    }
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

void PartitionProgress::MaybeUpdateLag(rd_kafka_t* consumer) {
  auto now = std::chrono::steady_clock::now();
  if (now < next_lag_update_) return;
  next_lag_update_ = now + std::chrono::seconds(1);
  for (auto& [tp, s] : states_) {
    if (!s.lag) continue;
    int64_t low = -1, high = -1;
    if (rd_kafka_get_watermark_offsets(consumer, tp.topic.c_str(), tp.partition, &low, &high) != 0 || high < 0)
      continue;
    int64_t position = s.next_offset >= 0 ? s.next_offset : low;
    s.lag->Set(high > position ? high - position : 0);
  }
}

}  // namespace pipeline::kafka
