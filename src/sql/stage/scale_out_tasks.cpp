#include "sql/stage/scale_out_tasks.h"

namespace pipeline::sql {

namespace {

// Whether records of `input` change state before the repartition (a table), so that the front keeps it per
// input partition.
bool FrontKeepsState(const Engine& front, const std::string& input, bool topics_from_records) {
  if (!topics_from_records) return front.KeepsStateBeforeRepartition(input);
  for (const std::string& topic : front.InputTopics())
    if (front.KeepsStateBeforeRepartition(topic)) return true;
  return false;
}

}  // namespace

ScaleOutTasks::ScaleOutTasks(ScaleOut& scale_out, const std::string& stage, const std::vector<std::string>& inputs,
                             const Engine& front, bool topics_from_records)
    : repartition_topic_(scale_out.repartition_topic()), group_owner_(scale_out.OwnershipOf(RepartitionInput(stage))) {
  for (const std::string& input : inputs)
    if (input != RepartitionInput(stage) && FrontKeepsState(front, input, topics_from_records))
      input_owners_[input] = scale_out.OwnershipOf(input);  // its source's (others never move partitions)
}

std::shared_ptr<PartitionOwnership> ScaleOutTasks::FrontOwner(const std::string& input) const {
  auto it = input_owners_.find(input);
  return it == input_owners_.end() ? nullptr : it->second;
}

Result<Task*> ScaleOutTasks::TaskFor(const TaskId& id, const std::string& topic,
                                     const std::shared_ptr<PartitionOwnership>& owner,
                                     const std::function<Status(Task&)>& make) {
  auto it = tasks_.find(id);
  if (it != tasks_.end()) return &it->second;
  Task task;
  task.id = id;
  task.source_topic = topic;
  task.owner = owner;
  task.assignment = owner->AssignmentOf(topic, id.partition);
  PIPE_RETURN_IF_ERROR(make(task));
  return &tasks_.emplace(id, std::move(task)).first->second;
}

Result<Task*> ScaleOutTasks::GroupTask(int32_t partition, const std::function<Status(Task&)>& make) {
  return TaskFor({"group", partition}, repartition_topic_, group_owner_, make);
}

std::vector<TaskId> ScaleOutTasks::Moved() {
  uint64_t changes = group_owner_->assignment_changes();
  for (const auto& [input, owner] : input_owners_) changes += owner->assignment_changes();
  if (changes == assignment_changes_seen_) return {};
  assignment_changes_seen_ = changes;
  std::vector<TaskId> moved;
  for (const auto& [id, task] : tasks_)
    if (task.owner->AssignmentOf(task.source_topic, id.partition) != task.assignment) moved.push_back(id);
  return moved;
}

bool ScaleOutTasks::AnyDirty(const std::vector<TaskId>& ids) const {
  for (const TaskId& id : ids)
    if (auto it = tasks_.find(id); it != tasks_.end() && it->second.dirty) return true;
  return false;
}

void ScaleOutTasks::Retire(const std::vector<TaskId>& ids, RetiredTasks& retired) {
  for (const TaskId& id : ids) {
    auto it = tasks_.find(id);
    if (it == tasks_.end()) continue;
    Task& task = it->second;
    for (std::string& error : task.engine->TakeProcessingErrors()) retired.errors.push_back(std::move(error));
    retired.late += task.engine->LateRecords();
    retired.replayed += task.replay.skipped() + task.origins.skipped();
    tasks_.erase(it);
  }
}

std::vector<Task*> ScaleOutTasks::All() {
  std::vector<Task*> all;
  for (auto& [id, task] : tasks_) all.push_back(&task);
  return all;
}

}  // namespace pipeline::sql
