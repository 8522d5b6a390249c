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

struct Scenario {
  std::map<std::string, std::string> properties;  // sql::EngineOptions::properties for every stage
  std::vector<SqlStage> stages;
  std::vector<InputRecord> inputs;
  // After the inputs, every stage closes its open windows (sql::Engine::EndOfInput), as `pipe run` does at the end
  // of finite input; without it stream time alone closes windows, as in ksqlDB.
  bool flush_at_end = false;
};

struct ScenarioRun {
  Status setup;                                 // the first statement an engine rejected (nothing ran then)
  std::vector<sql::Emitted> emitted;            // everything every stage emitted, in order
  std::vector<sql::OutputTopic> output_topics;  // of every stage
  std::vector<std::string> errors;              // Push failures and the engines' processing errors
};

ScenarioRun RunScenario(const Scenario& scenario);

}  // namespace pipeline::testing
