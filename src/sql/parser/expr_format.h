// Canonical text of an expression: used to match GROUP BY / PARTITION BY expressions against the select list
// and to show expressions in messages (ksqlDB style: upper-case names, `quoted` where needed).
#pragma once

#include <string>

#include "sql/parser/ast.h"

namespace pipeline::sql {

std::string FormatExpr(const Expr& e);

}  // namespace pipeline::sql
