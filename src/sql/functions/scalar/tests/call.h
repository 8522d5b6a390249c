// Test helper: binds a built-in function for given argument types and calls it once, applying the
// null_if_any_null rule the way the SQL engine does.
#pragma once

#include <doctest/doctest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "sql/functions/scalar_function.h"

namespace pipeline::sql::scalar::testing {

struct Arg {
  Value value;
  SqlType type;
};

// Typed arguments: Int(3) is an INTEGER, Big(3) a BIGINT, Str("a") a STRING, Null(t) a NULL of type t.
inline Arg Int(int64_t v) { return {Value(v), SqlType::Of(TypeId::kInt)}; }
inline Arg Big(int64_t v) { return {Value(v), SqlType::Of(TypeId::kBigInt)}; }
inline Arg Dbl(double v) { return {Value(v), SqlType::Of(TypeId::kDouble)}; }
inline Arg Str(std::string v) { return {Value(std::move(v)), SqlType::Of(TypeId::kString)}; }
inline Arg Bool(bool v) { return {Value(v), SqlType::Of(TypeId::kBoolean)}; }
inline Arg Byt(std::string v) { return {Value(Bytes{std::move(v)}), SqlType::Of(TypeId::kBytes)}; }
inline Arg Null(TypeId id = TypeId::kUnknown) { return {Value(), SqlType::Of(id)}; }
inline Arg Typed(Value v, SqlType t) { return {std::move(v), std::move(t)}; }

struct CallResult {
  Value value;
  SqlType type;
  std::string error;  // bind error, or the EvalContext error of the call
};

inline CallResult Call(const std::string& name, const std::vector<Arg>& args) {
  CallResult r;
  const ScalarFunctionSpec* spec = BuiltinScalarFunctions().Find(name);
  if (!spec) {
    r.error = "no function " + name;
    return r;
  }
  std::vector<SqlType> types;
  std::vector<Value> values;
  for (const Arg& a : args) {
    types.push_back(a.type);
    values.push_back(a.value);
  }
  Result<BoundScalar> bound = spec->bind(types);
  if (!bound.ok()) {
    r.error = "Function '" + name + "' " + bound.error().message();  // the prefix the SQL binder adds
    return r;
  }
  r.type = bound->return_type;
  if (bound->null_if_any_null)
    for (const Value& v : values)
      if (v.is_null()) return r;
  EvalContext ctx;
  r.value = bound->impl(values, ctx);
  r.error = ctx.last_error;
  return r;
}

inline Value Eval(const std::string& name, const std::vector<Arg>& args) { return Call(name, args).value; }

}  // namespace pipeline::sql::scalar::testing

namespace doctest {
template <>
struct StringMaker<pipeline::Value> {
  static String convert(const pipeline::Value& v) {
    if (v.is_double()) {
      char buf[40];
      std::snprintf(buf, sizeof buf, "%.17g", v.as_double());
      return buf;
    }
    return (std::string(pipeline::Value::KindName(v.kind())) + ":" + v.ToString()).c_str();
  }
};
}  // namespace doctest
