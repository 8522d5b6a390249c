#include "sql/stage/stage_state.h"

#include "core/value_codec.h"
#include "observability/log.h"
#include "observability/metrics.h"

namespace pipeline::sql {

namespace {
constexpr std::string_view kSnapshotMagic = "pipe-sql-state 1\n";
}  // namespace

Result<std::unique_ptr<Engine>> MakeEngine(const SqlStageSettings& settings) {
  auto engine = std::make_unique<Engine>(settings.engine);
  Status s = engine->Execute(settings.sql);
  if (!s.ok()) return s.error();
  return engine;
}

StageState::StageState(const SqlStageSettings& settings, std::unique_ptr<SnapshotStore> store,
                       std::function<Status(Task&)> renew)
    : stage_(settings.name),
      sql_(settings.sql),
      commit_interval_(settings.commit_interval),
      on_state_change_(settings.on_state_change),
      snapshots_(std::move(store)),
      renew_(std::move(renew)) {}

Status StageState::Restore(Task& task) {
  const std::string where = snapshots_.store().Describe(task.id);
  auto loaded = snapshots_.store().Load(task.id);
  if (!loaded.ok()) return loaded.error();
  if (!*loaded) return {};
  std::string_view bytes = **loaded;
  if (!bytes.starts_with(kSnapshotMagic)) return Discard(task, where, "it is not a pipe SQL state");
  bytes.remove_prefix(kSnapshotMagic.size());
  auto saved = DecodeValue(bytes);
  if (!saved.ok() || !saved->is_array() || saved->as_array().size() < 3) return Discard(task, where, "it is damaged");
  const Array& parts = saved->as_array();
  if (!parts[1].is_array() || (parts.size() > 4 && !parts[4].is_array())) return Discard(task, where, "it is damaged");
  if (!parts[0].is_string() || parts[0].as_string() != sql_) return StatementsChanged(task, where, parts);
  Status restored = task.engine->RestoreState(parts[2]);
  if (!restored.ok()) return Discard(task, where, restored.message());
  if (restores_metric_) restores_metric_->Add();
  task.replay.Restore(parts[1]);
  if (parts.size() > 3) task.origins.Restore(parts[3]);  // snapshots from before scale-out have 3 parts
  if (parts.size() > 4) task.rebuild.Restore(parts[4]);  // a rebuild that had not passed every saved position
  LogInfo("sql_state_restored", "transform " + stage_ + ": state restored from " + where +
                                    "; records it already holds are skipped when the sources replay them");
  return {};
}

// The saved state was made by other statements: on_state_change says what to do.
Status StageState::StatementsChanged(Task& task, const std::string& where, const Array& parts) {
  const std::string changed = "the statements changed since the state in " + where + " was saved";
  switch (on_state_change_) {
    case OnStateChange::kEmpty:
      return Discard(task, where, "the statements changed since");
    case OnStateChange::kFail:
      return FatalError(changed + ", so it cannot be used (on_state_change: fail). Set on_state_change: rebuild to "
                        "rebuild it from the beginning of the inputs, or empty to start from empty state");
    case OnStateChange::kRebuild:
      break;
  }
  if (task.id.partition != kWholeStage)
    return FatalError(changed + ", and a scaled-out stage cannot rebuild its state from its inputs. Set "
                      "on_state_change: empty to start from empty state, or give the stage a new scale_out "
                      "topic_prefix and group_id and read the inputs from their beginning");
  PIPE_RETURN_IF_ERROR(renew_(task));
  task.rebuild.Restore(parts[1]);                        // what the previous statements took
  if (parts.size() > 4) task.rebuild.Restore(parts[4]);  // and what an unfinished rebuild before them had
  rebuilding_ = true;
  LogInfo("sql_state_rebuilding", "transform " + stage_ + ": " + changed +
                                      "; rebuilding it from the beginning of the inputs (what the records already "
                                      "taken make is not emitted again)");
  return {};
}

// Starts from empty state (a fresh engine: a failed restore may have filled part of the old one).
Status StageState::Discard(Task& task, const std::string& where, const std::string& why) {
  LogWarn("sql_state_discarded", "transform " + stage_ + ": not using the saved state in " + where + " (" + why +
                                     "); starting from empty state");
  return renew_(task);
}

std::string StageState::SaveTask(const Task& task) const {
  std::string bytes(kSnapshotMagic);
  Array parts{Value(sql_), task.replay.Save(), task.engine->SaveState(), task.origins.Save()};
  if (task.rebuild.active()) parts.push_back(task.rebuild.Save());
  EncodeValue(Value(std::move(parts)), bytes);
  return bytes;
}

void StageState::Seal(const std::vector<Task*>& tasks) {
  if (!snapshots_.epoch_open()) return;
  Snapshot snapshot;
  for (Task* task : tasks) {
    if (!task->dirty) continue;
    snapshot.push_back({task->id, SaveTask(*task)});
    task->dirty = false;
  }
  snapshots_.Seal(std::move(snapshot));
  last_seal_ = std::chrono::steady_clock::now();
}

Status StageState::MaybeSeal(const std::function<std::vector<Task*>()>& tasks) {
  if (snapshots_.epoch_open() && std::chrono::steady_clock::now() - last_seal_ >= commit_interval_) Seal(tasks());
  if (auto error = snapshots_.TakeWriteError()) return FatalError(*error);
  return {};
}

}  // namespace pipeline::sql
