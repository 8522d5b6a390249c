// PartitionProgress: per assigned partition, how far the source has read. Answers stop_at_end ("has every
// assigned partition reached the end offset it had when it was assigned?"). Source thread only. (The consumer-lag
// gauges are computed when /metrics is read: consumer_lag.h.)
#pragma once

#include <librdkafka/rdkafka.h>

#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "connectors/kafka/topic_partition.h"

namespace pipeline::kafka {

class PartitionProgress {
 public:
  // `end_offsets`: each partition's end at assignment (-1 = unknown: only an end-of-partition event ends it).
  void Assign(const CommitOffsets& end_offsets);
  void Revoke(const std::set<TopicPartition>& partitions);
  // The next offset to read on `tp` is now `next_offset`.
  void Advance(const TopicPartition& tp, int64_t next_offset);
  // librdkafka reported the end of the partition at `offset`.
  void ReachedEof(const TopicPartition& tp, int64_t offset);
  // True when at least one partition is assigned and every assigned one reached its end.
  bool AllReachedEnd() const;
  size_t assigned() const { return states_.size(); }

 private:
  struct State {
    int64_t end_at_assign = -1;
    int64_t next_offset = -1;
    bool reached_end = false;
  };
  std::map<TopicPartition, State> states_;
};

}  // namespace pipeline::kafka
