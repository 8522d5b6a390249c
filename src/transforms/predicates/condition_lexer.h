// Tokens of pipe's record conditions ("status >= 400 and level == \"error\""); grammar in transforms/README.md.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace pipeline {

enum class ConditionTokenKind {
  kName,        // field name segment or keyword (and, or, not, contains, matches, true, false, null); `quoted` names
  kQuotedName,  // a `backquoted` field name: never a keyword
  kString,      // "text" or 'text', escapes resolved
  kInt,
  kDouble,
  kDot,
  kLeftParen,
  kRightParen,
  kEq,  // == or =
  kNe,  // !=
  kLt,
  kLe,
  kGt,
  kGe,
  kAndAnd,  // &&
  kOrOr,    // ||
  kBang,    // !
  kEnd,
};

struct ConditionToken {
  ConditionTokenKind kind = ConditionTokenKind::kEnd;
  std::string text;  // names and strings (resolved), numbers as written
  int64_t int_value = 0;
  double double_value = 0;
  size_t column = 1;  // 1-based position in the condition text
};

// Splits the condition into tokens; the last one is kEnd. A ConfigError names the column of a bad character.
Result<std::vector<ConditionToken>> TokenizeCondition(std::string_view text);

}  // namespace pipeline
