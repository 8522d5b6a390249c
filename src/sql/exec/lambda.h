// Bound lambdas and calls of higher-order functions (TRANSFORM, FILTER, REDUCE). A lambda's parameters live in
// EvalContext::lambda_args at slots the binder chose, so its body is bound once and evaluated per element without
// name lookups or row copies.
#pragma once

#include <vector>

#include "sql/exec/expression.h"

namespace pipeline::sql {

// A lambda parameter inside its body: reads slot `slot` of EvalContext::lambda_args.
BoundExprPtr MakeLambdaParamRef(int slot, SqlType type);

// ksqlDB compiles lambda bodies to Java, where arithmetic unboxes its operands: a NULL operand throws, and the
// whole higher-order call yields NULL. The binder wraps arithmetic operands inside lambda bodies with this node,
// which reports a NULL as an error for the call to see.
BoundExprPtr MakeNullIntolerant(BoundExprPtr operand);

struct BoundLambda {
  int first_slot = 0;  // parameters take slots first_slot, first_slot + 1, ...
  int arity = 0;
  BoundExprPtr body;
};

// `args` holds the non-lambda arguments (nullptr where a lambda stands); `lambdas` the lambdas in order.
// An error while the function runs (its lambda failed) makes the result NULL, as an exception does in ksqlDB.
BoundExprPtr MakeHigherOrderCall(std::string name, BoundHigherOrder fn, std::vector<BoundExprPtr> args,
                                 std::vector<BoundLambda> lambdas);

}  // namespace pipeline::sql
