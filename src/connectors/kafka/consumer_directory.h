// ConsumerDirectory: how an exactly-once kafka sink reaches the kafka source it reads from. The source publishes
// its consumer under its stream name; the sink looks it up to get the group metadata for
// send_offsets_to_transaction and the partitions the source owns, and tells the source to leave offset commits
// to the transactions. A scaled-out `sql` stage asks it which partitions this process owns (the link is the
// stage's PartitionOwnership, plugin/scale_out.h). Process-wide because sources, sinks and stages are built
// independently by the runtime.
#pragma once

#include <librdkafka/rdkafka.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "connectors/kafka/kafka_handles.h"
#include "connectors/kafka/topic_partition.h"
#include "plugin/scale_out.h"

namespace pipeline::kafka {

// One kafka source's shared state. Either side may create it first.
class ConsumerLink final : public PartitionOwnership {
 public:
  // Source side.
  void Publish(rd_kafka_t* consumer);
  void Withdraw();  // before the consumer is destroyed
  void SetAssignment(std::set<TopicPartition> partitions);
  bool offsets_committed_by_sink() const;

  // Stage side (per-partition SQL state): see PartitionOwnership.
  uint64_t AssignmentOf(const std::string& topic, int32_t partition) const override;
  // Changes with every assignment change: a cheap check before asking AssignmentOf.
  uint64_t assignment_changes() const override { return changes_.load(); }

  // Sink side.
  void CommitOffsetsWithTransactions();
  // The consumer's group metadata, or nullptr while the source is not open.
  GroupMetadata GroupMetadataNow() const;
  // Keeps only offsets of partitions the source currently owns (a revoked partition is someone else's now).
  CommitOffsets OwnedOnly(const CommitOffsets& offsets) const;

 private:
  mutable std::mutex mu_;
  rd_kafka_t* consumer_ = nullptr;
  std::map<TopicPartition, uint64_t> assigned_;  // owned partitions -> AssignmentOf
  uint64_t assignments_ = 0;
  std::atomic<uint64_t> changes_{0};
  bool committed_by_sink_ = false;
};

// The link of the kafka source named `source_name` (created on first use; lives for the process).
std::shared_ptr<ConsumerLink> FindConsumerLink(const std::string& source_name);

}  // namespace pipeline::kafka
