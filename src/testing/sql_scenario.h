// Runs SQL statements over input records with real engines and collects what they emit. A scenario has one
// engine per SQL stage (a conformance case has one; a pipeline may chain several): inputs go to every stage
// that reads their topic, and what a stage emits goes on to the stages that read it.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/result.h"
#include "sql/engine.h"
#include "testing/expected_record.h"

namespace pipeline::testing {

struct SqlStage {
  std::string name;                     // for messages; the transform's name in a pipeline
  std::vector<std::string> statements;  // executed one at a time, in order
};

// How input values reach the engines. With the JSON decodings each object value is written as JSON text and read
// back by JsonReader, whole (kJsonWhole) or keeping only the fields the stage reads (kJsonProjected), as a JSON
// source does (JsonReader::Project with sql::Engine::ValueDemand).
enum class InputDecoding { kAsGiven, kJsonWhole, kJsonProjected };

struct Scenario {
  std::map<std::string, std::string> properties;  // sql::EngineOptions::properties for every stage
  std::vector<SqlStage> stages;
  std::vector<InputRecord> inputs;
  // After the inputs, every stage closes its open windows (sql::Engine::EndOfInput), as `pipe run` does at the end
  // of finite input; without it stream time alone closes windows, as in ksqlDB.
  bool flush_at_end = false;
  InputDecoding decoding = InputDecoding::kAsGiven;
  // With one stage, up to this many consecutive inputs of one topic go to the engine in one PushAll call (as a
  // SQL stage hands it a batch); 1 = one Push per record.
  size_t batch_size = 1;
};

struct ScenarioRun {
  Status setup;                                 // the first statement an engine rejected (nothing ran then)
  std::vector<sql::Emitted> emitted;            // everything every stage emitted, in order
  std::vector<sql::OutputTopic> output_topics;  // of every stage
  std::vector<std::string> errors;              // Push failures and the engines' processing errors
  bool reads_some_fields = false;               // a stage reads only some fields of an input's values
};

ScenarioRun RunScenario(const Scenario& scenario);

// Runs a scenario whose first run (`as_given`) read only some fields of its inputs again with each object value
// decoded from JSON whole and projected, and returns how the two outputs differ ("" when they agree or nothing
// was projected): a fast decoding path must never change an answer unseen (issue 18 item 9).
std::string ProjectedDecodingDifference(const Scenario& scenario, const ScenarioRun& as_given);

// Runs a one-stage scenario that gave `one_at_a_time` again with its inputs pushed in batches of 1024 and returns
// how the outputs differ ("" when they are the same records in the same order): an engine's answer must not
// depend on how its input is batched (issue 18 item 9).
std::string BatchSizeDifference(const Scenario& scenario, const ScenarioRun& one_at_a_time);

// Both checks above, the first difference found ("" when none): what a case that passed must also pass.
std::string VariantDifference(const Scenario& scenario, const ScenarioRun& run);

// How two runs' error lists differ, "" when they are the same.
std::string ErrorsDifference(const std::vector<std::string>& a, const std::vector<std::string>& b, const char* a_name,
                             const char* b_name);

}  // namespace pipeline::testing
