// Compares the records a run emitted with the expected ones, stream by stream, and renders a readable diff.
// One module for `pipe conformance` and `pipe test` so that both judge output the same way.
#pragma once

#include <string>
#include <vector>

#include "core/record.h"
#include "sql/engine.h"
#include "testing/expected_record.h"

namespace pipeline::testing {

// Key/value equality as JSON values: numbers by value (1 == 1.0), strings exactly, objects by field name
// regardless of order, structs and string-keyed maps alike.
bool JsonValuesEqual(const Value& expected, const Value& actual, const ComparisonOptions& options);

// A Value as it would read on the wire in JSON (dates as days, bytes as base64, …), so that engine output
// compares with JSON test data.
Value NormalizeToJson(const Value& v);

struct OutputComparison {
  bool matches = true;
  std::string first_difference;  // one line, e.g. "output differs: OUTPUT #2 value: expected {..}, got {..}"
  std::string diff;              // multi-line, per stream: expected vs actual records
};

// Compares, per stream (names case-insensitive), the sequence of records emitted on it with the expected
// sequence. Streams that appear neither in `expected` nor in `checked_streams` are not compared;
// `checked_streams` lists streams that must match even when nothing is expected on them (must stay empty).
OutputComparison CompareOutputs(const std::vector<ExpectedRecord>& expected, const std::vector<sql::Emitted>& actual,
                                const std::vector<std::string>& checked_streams, const ComparisonOptions& options);

// One-line renderings used in diffs and reports.
std::string DescribeExpected(const ExpectedRecord& r);
std::string DescribeActual(const Record& r);

}  // namespace pipeline::testing
