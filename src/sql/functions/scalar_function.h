// Scalar SQL functions. A function is bound once per call site (argument types known), which yields its return
// type and an implementation; the implementation is then called per row with already-evaluated arguments.
// Register families in functions/scalar/<family>.cpp; the list lives in functions/builtin_functions.cpp.
#pragma once

#include <functional>
#include <map>
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

struct ScalarFunctionSpec {
  std::string name;        // upper case, e.g. "SUBSTRING"
  std::string category;    // "string", "math", "date/time", "json", "array", "map", "conditional", "hash", "url"
  std::string signature;   // for docs: "SUBSTRING(str STRING, pos INT [, len INT]) -> STRING"
  std::string description;
  ScalarBinder bind;
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
