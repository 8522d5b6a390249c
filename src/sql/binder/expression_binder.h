// Binds parsed expressions to a Scope: resolves names to slots, infers types with ksqlDB's rules, resolves
// scalar functions once, and reports errors with line:col and "did you mean" hints.
#pragma once

#include <functional>

#include "core/result.h"
#include "sql/binder/scope.h"
#include "sql/exec/expression.h"
#include "sql/exec/lambda.h"
#include "sql/parser/ast.h"

namespace pipeline::sql {

// Lets the planner substitute sub-expressions before normal binding (aggregate calls, GROUP BY expressions
// after aggregation). Returns nullptr to bind the node normally.
using BindHook = std::function<Result<BoundExprPtr>(const Expr&)>;

class ExpressionBinder {
 public:
  explicit ExpressionBinder(const Scope& scope, BindHook hook = {}) : scope_(scope), hook_(std::move(hook)) {}
  Result<BoundExprPtr> Bind(const Expr& e);
  // Binds and checks the result is BOOLEAN (WHERE, HAVING, ON).
  Result<BoundExprPtr> BindPredicate(const Expr& e, const char* clause);

 private:
  Result<BoundExprPtr> BindNode(const Expr& e);
  Result<BoundExprPtr> BindColumn(const Expr& e);
  Result<BoundExprPtr> BindBinary(const Expr& e);
  Result<BoundExprPtr> BindFunction(const Expr& e);
  Result<BoundExprPtr> BindComparison(const Expr& e, const std::string& op, BoundExprPtr l, BoundExprPtr r,
                                      const Expr& le, const Expr& re);
  Result<BoundExprPtr> CoerceItem(const Expr& ast, const SqlType& target);
  Result<std::vector<BoundExprPtr>> BindAll(const std::vector<ExprPtr>& items, size_t from = 0);

  // Lambdas (lambda_binder.cpp): calls of TRANSFORM / FILTER / REDUCE, and their parameters inside the bodies.
  struct LambdaVariable {
    std::string name;
    SqlType type;
    int slot;  // in EvalContext::lambda_args: the nesting depth, so nested lambdas never share a slot
  };
  Result<BoundExprPtr> BindHigherOrder(const Expr& e, const HigherOrderBinder& binder);
  Result<BoundLambda> BindLambda(const Expr& lambda, const std::vector<SqlType>& param_types, const Expr& call);
  const LambdaVariable* FindLambdaVariable(const Expr& e) const;
  bool InLambdaBody() const { return !lambda_vars_.empty(); }

  const Scope& scope_;
  BindHook hook_;
  std::vector<LambdaVariable> lambda_vars_;  // innermost last; a name shadows columns and outer parameters
};

// Coerces a bound expression to `to` (numeric widening or a string literal parsed into a number/date), or
// explains why it cannot.
Result<BoundExprPtr> CoerceTo(BoundExprPtr e, const SqlType& to, Position pos);

}  // namespace pipeline::sql
