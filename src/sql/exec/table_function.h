// Table functions (EXPLODE, CUBE_EXPLODE) in the SELECT list: each input row becomes as many rows as the longest
// result; the results are appended after the input's slots (shorter results give NULL), as ksqlDB zips them.
#pragma once

#include <vector>

#include "sql/exec/expression.h"
#include "sql/exec/operator.h"

namespace pipeline::sql {

enum class TableFunctionKind { kExplode, kCubeExplode };

struct TableFunctionCall {
  TableFunctionKind kind;
  BoundExprPtr arg;
};

class TableFunctionOperator final : public Operator {
 public:
  explicit TableFunctionOperator(std::vector<TableFunctionCall> calls) : calls_(std::move(calls)) {}
  void Push(Change change) override;

 private:
  std::vector<TableFunctionCall> calls_;
};

}  // namespace pipeline::sql
