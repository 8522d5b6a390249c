// Scalar SQL functions. A function is bound once per call site (argument types known), which yields its return
// type and an implementation; the implementation is then called per row with already-evaluated arguments.
// Register families in functions/scalar/<family>.cpp; the list lives in functions/builtin_functions.cpp.
#pragma once

#include <functional>
#include <initializer_list>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/value.h"
#include "sql/types.h"

namespace pipeline::sql {

// Passed to every call: a runtime error in one record (bad cast, division by zero) is reported here and the
// function returns NULL, as in ksqlDB (a processing error is logged, the record is not dropped).
struct EvalContext {
  std::string last_error;
  int64_t errors = 0;
  // The values of the lambda parameters in scope, by slot (the binder numbers them by nesting depth). A
  // higher-order function sets them before each call of its lambda; the body reads them like columns.
  std::vector<Value> lambda_args;
  void Fail(std::string message) { last_error = std::move(message); ++errors; }
};

using ScalarImpl = std::function<Value(const std::vector<Value>& args, EvalContext& ctx)>;

struct BoundScalar {
  SqlType return_type;
  ScalarImpl impl;
  // When true (the default), the caller returns NULL without calling impl if any argument is NULL.
  bool null_if_any_null = true;
};

// Chooses an overload for the given argument types, or says why none fits ("expected (STRING, INT)").
using ScalarBinder = std::function<Result<BoundScalar>(const std::vector<SqlType>& arg_types)>;

// ---- higher-order functions: TRANSFORM, FILTER, REDUCE take lambdas ("x => x + 1") as arguments ----

// One lambda argument, bound: Call evaluates its body, for the row at hand, with its parameters set to `params`.
class LambdaArg {
 public:
  virtual Value Call(std::initializer_list<Value> params) const = 0;

 protected:
  ~LambdaArg() = default;
};

// Values of the non-lambda arguments (NULL where a lambda stands) and the lambdas, in the order written.
using HigherOrderImpl =
    std::function<Value(const std::vector<Value>& args, std::span<const LambdaArg* const> lambdas, EvalContext& ctx)>;

struct BoundHigherOrder {
  SqlType return_type;
  HigherOrderImpl impl;
};

struct HigherOrderArgs {
  std::vector<SqlType> types;   // a lambda's entry: the type its body returns (unknown until the body is bound)
  std::vector<bool> is_lambda;
};

// A lambda's parameter types follow from the other arguments (TRANSFORM(arr, x => ...): x has arr's element type),
// so binding is two-step: `lambda_params` gives the parameter types of the lambda at an argument position, the
// binder binds its body with them, then `bind` sees every argument's type. Both explain a misfit as a message that
// continues "Function 'NAME' ".
struct HigherOrderBinder {
  std::function<Result<std::vector<SqlType>>(const HigherOrderArgs& args, size_t index)> lambda_params;
  std::function<Result<BoundHigherOrder>(const HigherOrderArgs& args)> bind;
  explicit operator bool() const { return static_cast<bool>(bind); }
};

struct ScalarFunctionSpec {
  std::string name;        // upper case, e.g. "SUBSTRING"
  std::string category;    // "string", "math", "date/time", "json", "array", "map", "lambda", "conditional", ...
  std::string signature;   // for docs: "SUBSTRING(str STRING, pos INT [, len INT]) -> STRING"
  std::string description;
  ScalarBinder bind;             // ordinary functions
  HigherOrderBinder higher_order;  // functions taking lambdas (then `bind` is unset)
};

class ScalarFunctionRegistry {
 public:
  void Add(ScalarFunctionSpec spec);
  const ScalarFunctionSpec* Find(const std::string& upper_name) const;
  std::vector<const ScalarFunctionSpec*> All() const;  // sorted by name

 private:
  std::map<std::string, ScalarFunctionSpec> functions_;
};

// Every built-in scalar function (functions/builtin_functions.cpp).
const ScalarFunctionRegistry& BuiltinScalarFunctions();

}  // namespace pipeline::sql
