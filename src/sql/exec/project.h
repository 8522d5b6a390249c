// SELECT list / PARTITION BY re-keying: computes a new row from expressions bound against the input layout.
// Deletes keep flowing: their key expressions are evaluated, value expressions skipped.
#pragma once

#include <vector>

#include "sql/exec/expression.h"
#include "sql/exec/operator.h"

namespace pipeline::sql {

class ProjectOperator final : public Operator {
 public:
  // key_count: how many leading expressions compute key columns (evaluated for deletes too).
  // rekey: the key columns are computed (PARTITION BY), so the source record's missing key no longer applies.
  ProjectOperator(std::vector<BoundExprPtr> exprs, size_t key_count, bool rekey = false);
  void Push(Change change) override;

 private:
  Row Apply(Row& in, bool keys_only);
  std::vector<BoundExprPtr> exprs_;
  // Per expression: a column or a field of one (BoundExpr::Part) that no other expression of the projection
  // reads after it, so its value is moved out of the input row (after every other expression) instead of copied.
  std::vector<bool> take_;
  bool all_taken_ = false;  // every expression is taken: the output row is filled in order
  // Every expression is computed or a whole column taken, and the columns come in the input's order from a slot
  // at or after their own place (SELECT *, SELECT a, b, f(c), d ...): the output row reuses the input's values
  // vector, each column moved down to its place (see ApplyInPlace).
  bool in_place_ = false;
  std::vector<int> slots_;       // per expression: the column it is (BoundExpr::Part::slot), -1 when computed
  std::vector<Value> computed_;  // ApplyInPlace's scratch, kept for its capacity
  void ApplyInPlace(Row& in, Row& out);
  size_t key_count_;
  bool rekey_;
};

}  // namespace pipeline::sql
