// Bound expressions: a tree built once per query by the binder, evaluated per row without name lookups.
// A runtime error in one row (bad cast, division by zero) is reported to the EvalContext and gives NULL.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sql/exec/row.h"
#include "sql/functions/scalar_function.h"
#include "sql/types.h"

namespace pipeline::sql {

class BoundExpr {
 public:
  explicit BoundExpr(SqlType type) : type_(std::move(type)) {}
  virtual ~BoundExpr() = default;
  virtual Value Eval(const Row& row, EvalContext& ctx) const = 0;
  const SqlType& type() const { return type_; }
  // Literals can be folded and passed to aggregates as constants.
  virtual const Value* constant() const { return nullptr; }
  // A plain column reference's slot (key columns are recognised in projections this way), else -1.
  virtual int slot() const { return -1; }

  // What a plain column (`col`) or a field of one (`col->field`) reads: a projection whose input row is not used
  // afterwards moves such values out of it (Take) instead of copying them. slot -1 for other expressions.
  struct Part {
    int slot = -1;
    std::string field;  // empty: the whole column
  };
  virtual Part part() const { return {}; }
  // Eval for an expression with a part, moving its value out of the row where the row alone holds it; what the
  // row holds there afterwards is null or unspecified.
  virtual Value Take(Row& row, EvalContext& ctx) const { return Eval(row, ctx); }

 protected:
  SqlType type_;
};

using BoundExprPtr = std::shared_ptr<const BoundExpr>;

enum class PseudoColumn { kRowTime, kRowPartition, kRowOffset, kWindowStart, kWindowEnd };

BoundExprPtr MakeColumnRef(int slot, SqlType type);
BoundExprPtr MakePseudoRef(PseudoColumn which, SqlType type);
BoundExprPtr MakeLiteral(Value v, SqlType type);
BoundExprPtr MakeCast(BoundExprPtr input, SqlType to);
// op: + - * / %  (operand types already widened to `type` by the binder)
BoundExprPtr MakeArithmetic(std::string op, BoundExprPtr l, BoundExprPtr r, SqlType type);
BoundExprPtr MakeNegate(BoundExprPtr e);
BoundExprPtr MakeConcat(BoundExprPtr l, BoundExprPtr r);
// op: = <> < <= > >=
BoundExprPtr MakeComparison(std::string op, BoundExprPtr l, BoundExprPtr r);
BoundExprPtr MakeIsDistinct(BoundExprPtr l, BoundExprPtr r, bool negated);
BoundExprPtr MakeAnd(BoundExprPtr l, BoundExprPtr r);
BoundExprPtr MakeOr(BoundExprPtr l, BoundExprPtr r);
BoundExprPtr MakeNot(BoundExprPtr e);
BoundExprPtr MakeIsNull(BoundExprPtr e, bool negated);
BoundExprPtr MakeLike(BoundExprPtr value, BoundExprPtr pattern, char escape, bool negated);
BoundExprPtr MakeIn(BoundExprPtr value, std::vector<BoundExprPtr> items, bool negated);
BoundExprPtr MakeBetween(BoundExprPtr value, BoundExprPtr lo, BoundExprPtr hi, bool negated);
// whens/thens pairs; else_expr may be null.
BoundExprPtr MakeCase(std::vector<BoundExprPtr> whens, std::vector<BoundExprPtr> thens, BoundExprPtr else_expr, SqlType type);
BoundExprPtr MakeFieldAccess(BoundExprPtr base, int field_index, std::string field_name, SqlType type);
BoundExprPtr MakeSubscript(BoundExprPtr base, BoundExprPtr index, SqlType type);
BoundExprPtr MakeArrayCtor(std::vector<BoundExprPtr> items, SqlType type);
BoundExprPtr MakeMapCtor(std::vector<BoundExprPtr> keys, std::vector<BoundExprPtr> values, SqlType type);
BoundExprPtr MakeStructCtor(std::vector<BoundExprPtr> values, SqlType type);
BoundExprPtr MakeFunctionCall(std::string name, BoundScalar fn, std::vector<BoundExprPtr> args);

// Three-valued comparison of two non-null values of comparable types: <0, 0, >0; nullopt if not comparable.
std::optional<int> CompareValues(const Value& a, const Value& b);

}  // namespace pipeline::sql
