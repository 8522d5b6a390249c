// A `pipe test` file: SQL (inline or a pipeline file's sql stages), input records per stream and the records
// expected per stream. The format is documented in src/testing/README.md.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/pipeline_config.h"
#include "core/result.h"
#include "testing/expected_record.h"
#include "testing/sql_scenario.h"

namespace pipeline::testing {

struct PipeTestCase {
  std::string name;
  std::vector<InputRecord> inputs;  // in feeding order
  std::vector<ExpectedRecord> outputs;
  std::vector<std::string> checked_streams;   // every stream named under outputs, even with no records
  std::optional<std::string> expected_error;  // the statements must be rejected with this substring
};

struct PipeTestFile {
  std::string path;
  std::string pipeline_path;  // resolved; empty when the SQL is inline
  std::shared_ptr<const config::PipelineConfig> pipeline;  // the whole pipeline (pipeline_scenario.h), or null
  std::vector<SqlStage> stages;                             // inline `statements:`
  std::map<std::string, std::string> properties;
  ComparisonOptions comparison;
  bool flush_at_end = false;  // windows close when the inputs end, as in `pipe run` (Scenario::flush_at_end)
  std::vector<PipeTestCase> tests;
};

// Reads and checks a test file; errors name file:line:col.
Result<PipeTestFile> LoadPipeTestFile(const std::string& path);

// The `type: sql` entries of a pipeline file's `transforms:` map, in file order.
Result<std::vector<SqlStage>> SqlStagesOfPipeline(const std::string& pipeline_path);

}  // namespace pipeline::testing
