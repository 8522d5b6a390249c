// Recursive-descent parser for the ksqlDB statement subset pipe runs (grammar in README.md).
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "sql/parser/ast.h"

namespace pipeline::sql {

// Parses ';'-separated statements. Errors read "line:col: message". Column types may name the custom types
// `types` holds, and those the text creates before.
Result<std::vector<Statement>> ParseStatements(const std::string& text, const TypeAliases& types = {});

// Parses one expression (tests, INSERT VALUES helpers).
Result<ExprPtr> ParseExpression(const std::string& text);

// "5 SECONDS" style units to milliseconds; 0 if the unit is unknown.
int64_t UnitToMillis(const std::string& upper_unit);

}  // namespace pipeline::sql
