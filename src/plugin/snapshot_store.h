// SnapshotStore: where a stateful stage keeps its snapshots. The `sql` stage writes through it (sql/stage/
// state_snapshots.h decides when); a file in the state dir implements it there, and a Kafka changelog topic in
// connectors/kafka (changelog_store.h) for a scaled-out stage. Declared here, in the contract, so that neither of
// the two folders includes the other.
#pragma once

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"

namespace pipeline {

// Which state: the whole stage's (partition -1), or in scale-out one partition's share of one kind of task
// ("group": after the repartition; "front:<input>": before it, for an input whose front keeps state too).
struct TaskId {
  std::string kind;
  int32_t partition = -1;
  auto operator<=>(const TaskId&) const = default;
};

struct TaskSnapshot {
  TaskId task;
  std::string bytes;
};
using Snapshot = std::vector<TaskSnapshot>;

class SnapshotStore {
 public:
  virtual ~SnapshotStore() = default;
  // Where a task's state is kept, in words (for log lines).
  virtual std::string Describe(const TaskId& task) const = 0;
  // The task's last snapshot written, if any.
  virtual Result<std::optional<std::string>> Load(const TaskId& task) = 0;
  // Durable when it returns. Runs on the snapshots' writer thread, while the stage thread may Load.
  virtual Status Write(const Snapshot& snapshot) = 0;
};

}  // namespace pipeline
