// What a test feeds into streams and what it expects out of them. Shared by `pipe conformance` and `pipe test`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/record.h"
#include "core/value.h"

namespace pipeline::testing {

// A record written to a stream (topic) before the engine sees it.
struct InputRecord {
  std::string topic;
  Record record;
};

// A record expected on an output stream. Key and value are compared as JSON values; timestamp, window and
// headers only when the test gives them (as ksqlDB's query-validation tests do).
struct ExpectedRecord {
  std::string topic;
  Value key;
  Value value;  // null = tombstone
  std::optional<int64_t> timestamp;
  std::optional<WindowBounds> window;
  std::optional<std::vector<Header>> headers;  // header values are raw bytes
  std::optional<std::string> record_topic;     // Record::topic (what a RegexRouter set), compared when given
};

struct ComparisonOptions {
  // false (ksqlDB's use.exact.numeric.comparison=false): numbers equal when within `tolerance`.
  bool exact_numbers = true;
  double tolerance = 1e-6;
};

}  // namespace pipeline::testing
