// The task set of a scaled-out `sql` stage (`scale_out:`): one task per partition this process owns, of the
// repartition topic ("group" tasks) or of an input whose front keeps state itself, such as a table ("front"
// tasks). A task is made, and restored from its partition's changelog, when the partition's first record arrives;
// it is dropped once the partition moved away (or away and back: another process may have changed its state in
// between). Called on the stage's thread only; the sources change the ownerships on theirs.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sql/stage/stage_task.h"

namespace pipeline::sql {

// What the tasks dropped so far had counted, so that the stage's metrics never go back.
struct RetiredTasks {
  int64_t late = 0;
  int64_t replayed = 0;
  std::vector<std::string> errors;  // their processing errors not yet reported
};

class ScaleOutTasks {
 public:
  // `front`: the statements up to each GROUP BY and join, which say which inputs keep state before them.
  ScaleOutTasks(ScaleOut& scale_out, const std::string& stage, const std::vector<std::string>& inputs,
                const Engine& front, bool topics_from_records);

  // The ownership of an input whose front keeps state (a task per input partition), else null.
  std::shared_ptr<PartitionOwnership> FrontOwner(const std::string& input) const;
  // The task of partition `id` of `topic`; one this process just got is made by `make` (an engine, restored from
  // the partition's changelog).
  Result<Task*> TaskFor(const TaskId& id, const std::string& topic, const std::shared_ptr<PartitionOwnership>& owner,
                        const std::function<Status(Task&)>& make);
  Result<Task*> GroupTask(int32_t partition, const std::function<Status(Task&)>& make);

  // The tasks whose partition moved since they were made (cheap when no assignment changed since the last call).
  std::vector<TaskId> Moved();
  bool AnyDirty(const std::vector<TaskId>& ids) const;
  // Drops the tasks, adding what they counted to `retired`.
  void Retire(const std::vector<TaskId>& ids, RetiredTasks& retired);

  std::vector<Task*> All();
  size_t size() const { return tasks_.size(); }

 private:
  std::string repartition_topic_;
  std::shared_ptr<PartitionOwnership> group_owner_;
  std::map<std::string, std::shared_ptr<PartitionOwnership>> input_owners_;
  std::map<TaskId, Task> tasks_;
  uint64_t assignment_changes_seen_ = 0;
};

}  // namespace pipeline::sql
