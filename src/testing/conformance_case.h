// One ksqlDB query-validation case, read from a line of the conformance vectors (format:
// ../shared/conformance/ksql-qtt/README.md).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "testing/expected_record.h"

namespace pipeline::testing {

struct ConformanceCase {
  std::string family;
  std::string file;
  std::string name;
  std::vector<std::string> statements;
  std::vector<InputRecord> inputs;
  std::vector<ExpectedRecord> outputs;
  std::map<std::string, std::string> properties;  // engine properties (use.exact.numeric.comparison removed)
  ComparisonOptions comparison;
  bool expects_error = false;
  std::string expected_error_type;     // ksqlDB exception class, for reports only
  std::string expected_error_message;  // a substring of ksqlDB's message, for reports only
};

// Parses one JSON line. Errors say which field is malformed.
Result<ConformanceCase> ParseConformanceCase(std::string_view json_line);

}  // namespace pipeline::testing
