// What the parts of the `sql` stage share: its settings, and a task — the state of the whole stage, or of one
// partition of a scaled-out one, with the positions it holds. The options (sql_stage_spec.cpp) make the settings;
// the stage glue (sql_stage.cpp) routes records to tasks, applies on_error and emits the outputs; the scale-out task set (scale_out_tasks.h) makes and drops a scaled-out stage's tasks as partitions come
// and go; the stage state (stage_state.h) restores tasks and seals their snapshots.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "plugin/dead_letter.h"
#include "plugin/scale_out.h"
#include "sql/engine.h"
#include "sql/stage/state_snapshots.h"

namespace pipeline::sql {

enum class OnStateChange { kRebuild, kEmpty, kFail };

struct SqlStageSettings {
  std::string name;  // the transform's name in the pipeline file
  std::string sql;
  EngineOptions engine;
  std::chrono::milliseconds commit_interval{2000};  // ksqlDB's default commit.interval.ms
  std::unique_ptr<ScaleOut> scale_out;              // set only when the runtime added the repartition streams
  // Each record goes to the SQL topic its Record::topic names (one kafka source reading several topics), not to
  // the topic named after its input stream.
  bool topics_from_records = false;
  // What happens to an input record the statements cannot use (DroppedInput): skip (logged and counted, as
  // ksqlDB's processing log), fail or dead_letter (to `dead_letters`).
  OnError on_error = OnError::kSkip;
  std::shared_ptr<DeadLetterQueue> dead_letters;
  // What happens when the saved state was made by other statements: rebuild it from the beginning of the inputs
  // (the default), start from empty state, or fail.
  OnStateChange on_state_change = OnStateChange::kRebuild;
};

// An engine that executed the stage's statements.
Result<std::unique_ptr<Engine>> MakeEngine(const SqlStageSettings& settings);

constexpr int32_t kWholeStage = -1;  // the task of a stage that is not scaled out

struct Task {
  TaskId id{"whole", kWholeStage};
  std::unique_ptr<Engine> engine;
  ReplayFilter replay;
  OriginFilter origins;  // "group" tasks: repartition records counted once
  RebuildFilter rebuild;  // on_state_change: rebuild — the input the previous statements had taken
  // Scale-out: the partition whose records the task takes, its source's assignments, and which assignment of the
  // partition the task was made in (PartitionOwnership::AssignmentOf).
  std::string source_topic;
  std::shared_ptr<PartitionOwnership> owner;
  uint64_t assignment = 0;
  bool dirty = false;  // changed since its last snapshot
};

}  // namespace pipeline::sql

namespace pipeline {
class Processor;
// The stage (sql_stage.cpp) over an engine that executed `settings.sql`.
std::unique_ptr<Processor> MakeSqlProcessor(sql::SqlStageSettings settings, std::unique_ptr<sql::Engine> engine,
                                            std::vector<std::string> inputs);
}  // namespace pipeline
