// Condition: pipe's field condition over a record ("status >= 400", `level == "error"`,
// `message contains "Invalid"`, `path matches "^/api/" and not (status < 400)`). Kafka Connect has no such
// predicate built in; Vector users expect one. The text is parsed once, at setup, into a tree of nodes that
// evaluate without allocating. Grammar and semantics: transforms/README.md, "Conditions".
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/record.h"
#include "core/result.h"

namespace pipeline {

class ConditionNode {
 public:
  virtual ~ConditionNode() = default;
  virtual bool Eval(const Record& record) = 0;  // not const: field lookups cache indexes per shape
};

class Condition {
 public:
  // A ConfigError names the column of the problem ("expected a field or a value, found the end at column 10 in
  // \"status >= \"").
  static Result<Condition> Parse(std::string_view text);

  bool Matches(const Record& record) { return root_->Eval(record); }
  const std::string& text() const { return text_; }
  // The top-level value fields the condition reads.
  const std::vector<std::string>& value_fields() const { return value_fields_; }

 private:
  Condition(std::string text, std::unique_ptr<ConditionNode> root, std::vector<std::string> value_fields)
      : text_(std::move(text)), root_(std::move(root)), value_fields_(std::move(value_fields)) {}
  std::string text_;
  std::unique_ptr<ConditionNode> root_;
  std::vector<std::string> value_fields_;
};

}  // namespace pipeline
