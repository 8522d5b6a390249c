// PartitionProgress: per assigned partition, how far the source has read. Answers stop_at_end ("has every
// assigned partition reached the end offset it had when it was assigned?") and keeps the consumer-lag gauges
// pipe_kafka_consumer_lag{source,topic,partition} current. Source thread only.
#pragma once

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "connectors/kafka/offset_ledger.h"

namespace pipeline {
class Counter;
class MetricsRegistry;
}  // namespace pipeline

namespace pipeline::kafka {

class PartitionProgress {
 public:
  PartitionProgress(std::string source_name, MetricsRegistry* metrics)
      : source_name_(std::move(source_name)), metrics_(metrics) {}

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
  // Refreshes the lag gauges from librdkafka's cached high watermarks, at most once a second.
  void MaybeUpdateLag(rd_kafka_t* consumer);

 private:
  struct State {
    int64_t end_at_assign = -1;
    int64_t next_offset = -1;
    bool reached_end = false;
    Counter* lag = nullptr;
  };
  std::string source_name_;
  MetricsRegistry* metrics_;
  std::map<TopicPartition, State> states_;
  std::chrono::steady_clock::time_point next_lag_update_{};
};

}  // namespace pipeline::kafka
