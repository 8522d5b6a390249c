// The `sql` stage's state on disk: owns the StateSnapshots (state_snapshots.h) of its tasks, restores a task from
// the snapshot the last run of the same statements saved, and seals an epoch with a snapshot of the tasks it
// changed, every commit interval. Called on the stage's thread only (the snapshots write on their own).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sql/stage/stage_task.h"

namespace pipeline {
class Counter;
}

namespace pipeline::sql {

class StageState {
 public:
  // `renew` gives a task a fresh engine of the statements (a restore that fails halfway may have filled the old).
  StageState(const SqlStageSettings& settings, std::unique_ptr<SnapshotStore> store,
             std::function<Status(Task&)> renew);

  StateSnapshots& snapshots() { return snapshots_; }
  // Counts restored tasks (scale-out's pipe_sql_state_restores_total); may be null.
  void set_restores_metric(Counter* metric) { restores_metric_ = metric; }

  // Restores the state the last run of the same statements saved for the task. A snapshot that is not whole leaves
  // the task empty (and says so); one of other statements is rebuilt, left empty or fails, as on_state_change says.
  Status Restore(Task& task);
  // A task restored state of other statements to rebuild: the inputs must be read again from their beginning.
  bool rebuilding() const { return rebuilding_; }
  // Ends the epoch with a snapshot of every task it changed.
  void Seal(const std::vector<Task*>& tasks);
  // Seals once the commit interval has passed since the last seal; fails with a snapshot that could not be
  // written. `tasks` is asked only when sealing.
  Status MaybeSeal(const std::function<std::vector<Task*>()>& tasks);

 private:
  std::string SaveTask(const Task& task) const;
  Status Discard(Task& task, const std::string& where, const std::string& why);
  Status StatementsChanged(Task& task, const std::string& where, const Array& parts);

  std::string stage_;
  std::string sql_;
  std::chrono::milliseconds commit_interval_;
  OnStateChange on_state_change_;
  bool rebuilding_ = false;
  StateSnapshots snapshots_;
  std::function<Status(Task&)> renew_;
  std::chrono::steady_clock::time_point last_seal_ = std::chrono::steady_clock::now();
  Counter* restores_metric_ = nullptr;
};

}  // namespace pipeline::sql
