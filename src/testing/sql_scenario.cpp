#include "testing/sql_scenario.h"

#include <deque>
#include <map>
#include <memory>
#include <span>

#include "formats/json.h"
#include "testing/record_comparison.h"

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
  std::map<std::string, std::unique_ptr<JsonReader>> json_readers;  // per input topic, for InputDecoding's JSON modes
  // The engine's spelling of `topic` if this stage reads it (names compare case-insensitively), else null.
  const std::string* Reads(const std::string& topic) const {
    for (const auto& t : input_topics)
      if (SameName(t, topic)) return &t;
    return nullptr;
  }
};

// What a JSON source would hand `stage` for `value` read from `topic` (InputDecoding).
Result<Value> DecodedAsJson(RunningStage& stage, const std::string& topic, const Value& value, InputDecoding decoding) {
  std::unique_ptr<JsonReader>& reader = stage.json_readers[topic];
  if (!reader) {
    reader = std::make_unique<JsonReader>();
    if (decoding == InputDecoding::kJsonProjected) reader->Project(stage.engine->ValueDemand(topic).ForSource("json"));
  }
  return reader->Parse(ToJson(value));
}

bool ReadsSomeFields(const RunningStage& stage) {
  for (const std::string& topic : stage.input_topics)
    if (!stage.engine->ValueDemand(topic).ForSource("json").all()) return true;
  return false;
}

std::string Describe(const sql::Emitted& e) { return e.topic + " " + DescribeActual(e.record); }

// The first place two runs' outputs differ, "" when they are the same records in the same order.
std::string FirstDifference(const ScenarioRun& a, const ScenarioRun& b, const char* a_name, const char* b_name) {
  for (size_t i = 0; i < std::max(a.emitted.size(), b.emitted.size()); ++i) {
    std::string x = i < a.emitted.size() ? Describe(a.emitted[i]) : "nothing";
    std::string y = i < b.emitted.size() ? Describe(b.emitted[i]) : "nothing";
    if (x != y) return "output " + std::to_string(i + 1) + ": " + a_name + " " + x + ", " + b_name + " " + y;
  }
  return {};
}

// A single stage's inputs, the consecutive ones of a topic up to `batch_size` at a time in one PushAll call, as a
// SQL stage hands its engine a batch (offsets as RunScenario gives them).
void PushInBatches(const Scenario& scenario, RunningStage& stage, ScenarioRun& run) {
  std::map<std::pair<std::string, int32_t>, int64_t> next_offset;
  for (size_t first = 0; first < scenario.inputs.size();) {
    const std::string& topic = scenario.inputs[first].topic;
    std::vector<Record> records;
    for (; first < scenario.inputs.size() && records.size() < scenario.batch_size &&
           scenario.inputs[first].topic == topic;
         ++first) {
      Record& record = records.emplace_back(scenario.inputs[first].record);
      int64_t& offset = next_offset[{topic, std::max(record.partition, 0)}];
      if (record.offset < 0) record.offset = offset;
      offset = record.offset + 1;
    }
    const std::string* read = stage.Reads(topic);
    std::vector<sql::Emitted> out;
    Status s = stage.engine->PushAll(read ? *read : topic, records, out, /*consume=*/true);
    if (!s.ok()) run.errors.push_back("push to " + topic + ": " + s.message());
    for (auto& e : out) run.emitted.push_back(std::move(e));
  }
}

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
    run.reads_some_fields = run.reads_some_fields || ReadsSomeFields(running);
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
        Record record = item.record;
        if (from < 0 && scenario.decoding != InputDecoding::kAsGiven && record.value.is_struct()) {
          Result<Value> decoded = DecodedAsJson(stages[i], *topic, record.value, scenario.decoding);
          if (!decoded.ok()) {
            run.errors.push_back("decode " + *topic + ": " + decoded.error().message());
            continue;
          }
          record.value = std::move(*decoded);
        }
        std::vector<sql::Emitted> out;
        Status s = stages[i].engine->Push(*topic, std::move(record), out);
        if (!s.ok()) run.errors.push_back("push to " + *topic + ": " + s.message());
        for (auto& e : out) pending.push_back({std::move(e), int(i)});
      }
    }
  };
  const bool in_batches = single_stage && scenario.batch_size > 1 && scenario.decoding == InputDecoding::kAsGiven;
  if (in_batches) PushInBatches(scenario, stages.front(), run);
  for (const InputRecord& input : in_batches ? std::span<const InputRecord>() : std::span(scenario.inputs)) {
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

std::string ProjectedDecodingDifference(const Scenario& scenario, const ScenarioRun& as_given) {
  if (!as_given.reads_some_fields || !as_given.setup.ok()) return {};
  Scenario variant = scenario;
  variant.decoding = InputDecoding::kJsonWhole;
  ScenarioRun whole = RunScenario(variant);
  variant.decoding = InputDecoding::kJsonProjected;
  ScenarioRun projected = RunScenario(variant);
  if (std::string d = FirstDifference(whole, projected, "whole", "projected"); !d.empty())
    return "JSON values decoded whole and projected give different outputs: " + d;
  return ErrorsDifference(whole.errors, projected.errors, "whole", "projected");
}

std::string ErrorsDifference(const std::vector<std::string>& a, const std::vector<std::string>& b, const char* a_name,
                             const char* b_name) {
  if (a == b) return {};
  auto first = [](const std::vector<std::string>& errors) { return errors.empty() ? std::string("none") : errors.front(); };
  return std::string("the errors differ: ") + a_name + " " + first(a) + ", " + b_name + " " + first(b);
}

std::string VariantDifference(const Scenario& scenario, const ScenarioRun& run) {
  std::string difference = ProjectedDecodingDifference(scenario, run);
  return difference.empty() ? BatchSizeDifference(scenario, run) : difference;
}

std::string BatchSizeDifference(const Scenario& scenario, const ScenarioRun& one_at_a_time) {
  if (scenario.stages.size() != 1 || !one_at_a_time.setup.ok()) return {};
  Scenario batched = scenario;
  batched.batch_size = 1024;
  if (std::string d = FirstDifference(one_at_a_time, RunScenario(batched), "one at a time", "in batches of 1024");
      !d.empty())
    return "the engine's outputs depend on the batch size: " + d;
  return {};
}

}  // namespace pipeline::testing
