// Scale-out of a stateful stage (`scale_out:` on a `sql` transform): several pipe processes share its state by
// partition, as Kafka Streams' tasks do. What the stage needs from the system that carries the partitions between
// processes is declared here, and a connector implements it (connectors/kafka/kafka_scale_out.h: a consumer group
// and a changelog topic): which partitions this process owns now, and a store from which the next owner of a
// partition restores its state. The stage never names Kafka; src/builtin.cpp says which implementation it gets.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/result.h"
#include "plugin/snapshot_store.h"

namespace pipeline {

// Which partitions of what one source reads this process owns now. Thread-safe: the source changes it on its
// rebalances, the stage asks on its own thread.
class PartitionOwnership {
 public:
  virtual ~PartitionOwnership() = default;
  // A number that changes each time partition `partition` of `topic` is (re)assigned to this process, 0 while it
  // is not assigned: state kept for the partition is stale once the number changes, as another process may have
  // owned the partition in between.
  virtual uint64_t AssignmentOf(const std::string& topic, int32_t partition) const = 0;
  // Changes with every assignment change: a cheap check before asking AssignmentOf.
  virtual uint64_t assignment_changes() const = 0;
};

// One stage's scale-out, made from its `scale_out:` option.
class ScaleOut {
 public:
  virtual ~ScaleOut() = default;
  // The topic the repartition stream's records come from: a group task is one of its partitions.
  virtual std::string repartition_topic() const = 0;
  // Where the tasks' state is kept, in words (for log lines).
  virtual std::string changelog_name() const = 0;
  // The partitions this process owns of what the source of pipeline stream `stream` reads.
  virtual std::shared_ptr<PartitionOwnership> OwnershipOf(const std::string& stream) = 0;
  // The store of every task's state; partition p's is where the next owner of p restores it from.
  virtual Result<std::unique_ptr<SnapshotStore>> OpenChangelog() = 0;
};

// Makes the stage named `stage` a ScaleOut from its `scale_out:` option (null without one); errors say which key
// and what is expected.
using ScaleOutFactory =
    std::function<Result<std::unique_ptr<ScaleOut>>(const YAML::Node& scale_out, const std::string& stage)>;

// The pipeline streams that carry the repartition records out of a scaled-out stage and back into it; the
// implementation adds the sink and source in between (connectors/kafka/pipeline_expansion.h).
inline std::string RepartitionOutput(const std::string& stage) { return stage + ".repartition"; }
inline std::string RepartitionInput(const std::string& stage) { return stage + ".repartitioned"; }

}  // namespace pipeline
