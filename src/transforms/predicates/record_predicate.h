// RecordPredicate: a test on a record that decides whether a transform applies to it (Kafka Connect KIP-585
// predicates, plus pipe's field conditions). Built once at setup from the `predicate:` option.
#pragma once

#include <yaml-cpp/yaml.h>

#include <memory>
#include <string>

#include "core/record.h"
#include "core/result.h"
#include "plugin/options.h"

namespace pipeline {

class RecordPredicate {
 public:
  virtual ~RecordPredicate() = default;
  // Not const: implementations cache per-shape field indexes.
  virtual bool Test(const Record& record) = 0;
};

// Builds the predicate given by option `option` of `options`: either a condition string
// ("status >= 400", see predicates/README in transforms/README.md), or an object
// {type: TopicNameMatches, pattern: "…"} | {type: HasHeaderKey, name: "…"} | {type: RecordIsTombstone}
// | {type: Condition, condition: "…"}. Errors are ConfigErrors located at the option.
Result<std::unique_ptr<RecordPredicate>> BuildPredicate(const Options& options, const std::string& option);

}  // namespace pipeline
