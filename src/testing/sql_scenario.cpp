#include "testing/sql_scenario.h"

#include <deque>
#include <map>
#include <memory>

namespace pipeline::testing {
namespace {

bool SameName(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

struct RunningStage {
  const SqlStage* stage;
  std::unique_ptr<sql::Engine> engine;
  std::vector<std::string> input_topics;
  // The engine's spelling of `topic` if this stage reads it (names compare case-insensitively), else null.
  const std::string* Reads(const std::string& topic) const {
    for (const auto& t : input_topics)
      if (SameName(t, topic)) return &t;
    return nullptr;
  }
};

}  // namespace

ScenarioRun RunScenario(const Scenario& scenario) {
  ScenarioRun run;
  std::vector<RunningStage> stages;
  for (const SqlStage& stage : scenario.stages) {
    sql::EngineOptions options;
    options.properties = scenario.properties;
    RunningStage running{&stage, std::make_unique<sql::Engine>(options), {}};
    for (const std::string& statement : stage.statements) {
      Status s = running.engine->Execute(statement);
      if (!s.ok()) {
        std::string where = scenario.stages.size() > 1 ? "stage " + stage.name + ": " : "";
        run.setup = Error(s.error().kind(), where + s.message());
        return run;
      }
    }
    running.input_topics = running.engine->InputTopics();
    for (auto& topic : running.engine->OutputTopics()) run.output_topics.push_back(std::move(topic));
    stages.push_back(std::move(running));
  }

  // With a single stage every input goes to it, so the engine itself decides about unknown topics (as
  // ksqlDB, which simply has no reader for them).
  const bool single_stage = stages.size() == 1;
  // Inputs without an offset get the next of their topic partition, as a Kafka topic would give them (ROWOFFSET).
  std::map<std::pair<std::string, int32_t>, int64_t> next_offset;
  // Takes each record to every stage that reads it, and what that emits on, until nothing is left.
  auto run_through = [&](std::deque<std::pair<sql::Emitted, int>> pending) {
    while (!pending.empty()) {
      auto [item, from] = std::move(pending.front());
      pending.pop_front();
      if (from >= 0) run.emitted.push_back(item);
      for (size_t i = 0; i < stages.size(); ++i) {
        if (int(i) == from) continue;
        const std::string* topic = stages[i].Reads(item.topic);
        if (!topic && !(single_stage && from < 0)) continue;
        if (!topic) topic = &item.topic;
        std::vector<sql::Emitted> out;
        Status s = stages[i].engine->Push(*topic, item.record, out);
        if (!s.ok()) run.errors.push_back("push to " + *topic + ": " + s.message());
        for (auto& e : out) pending.push_back({std::move(e), int(i)});
      }
    }
  };
  for (const InputRecord& input : scenario.inputs) {
    // (record, topic, index of the stage that emitted it or -1 for an input)
    std::deque<std::pair<sql::Emitted, int>> pending;
    pending.push_back({sql::Emitted{input.topic, input.record}, -1});
    int64_t& offset = next_offset[{input.topic, std::max(input.record.partition, 0)}];
    if (pending.front().first.record.offset < 0) pending.front().first.record.offset = offset;
    offset = pending.front().first.record.offset + 1;
    run_through(std::move(pending));
  }
  // Stage by stage in order, so that what one stage's closing windows emit reaches the later ones first.
  if (scenario.flush_at_end)
    for (size_t i = 0; i < stages.size(); ++i) {
      std::vector<sql::Emitted> out;
      Status s = stages[i].engine->EndOfInput(out);
      if (!s.ok()) run.errors.push_back("end of input: " + s.message());
      std::deque<std::pair<sql::Emitted, int>> pending;
      for (auto& e : out) pending.push_back({std::move(e), int(i)});
      run_through(std::move(pending));
    }
  for (const RunningStage& stage : stages)
    for (const std::string& e : stage.engine->processing_errors()) run.errors.push_back(e);
  return run;
}

}  // namespace pipeline::testing
