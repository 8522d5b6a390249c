// NULL handling: COALESCE, IFNULL, NULLIF. All see NULL arguments (null_if_any_null = false); arguments of
// different numeric types meet at the wider one, as ksqlDB's implicit casts make them.
#include "sql/functions/scalar/families.h"
#include "sql/functions/scalar/signature.h"
#include "sql/functions/scalar/value_access.h"

namespace pipeline::sql::scalar {

namespace {

// Returns the widest argument type; the chosen argument is converted to it.
ImplFactory WidestResult(std::function<const Value*(const Args&)> pick) {
  return [pick = std::move(pick)](const std::vector<SqlType>& args) -> Result<BoundScalar> {
    SqlType type = WidestType(args);
    TypeId id = type.id;
    ScalarImpl impl = [pick, id](const Args& a, EvalContext&) -> Value {
      const Value* v = pick(a);
      return v ? CoerceNumber(*v, id) : Value();
    };
    return BoundScalar{type, std::move(impl), false};
  };
}

}  // namespace

void RegisterConditionalFunctions(ScalarFunctionRegistry& reg) {
  reg.Add(FunctionBuilder("COALESCE", "conditional", "The first non-NULL argument.")
              .Overload("(first T, others T...) -> T", WidestResult([](const Args& a) -> const Value* {
                for (const Value& v : a)
                  if (!v.is_null()) return &v;
                return nullptr;
              }))
              .Build());
  reg.Add(FunctionBuilder("IFNULL", "conditional", "expression, or altValue when expression is NULL.")
              .Overload("(expression T, altValue T) -> T", WidestResult([](const Args& a) -> const Value* {
                return a[0].is_null() ? &a[1] : &a[0];
              }))
              .Build());
  reg.Add(FunctionBuilder("NULLIF", "conditional", "NULL when expression1 equals expression2, else expression1.")
              .Overload("(expression1 T, expression2 T) -> T", WidestResult([](const Args& a) -> const Value* {
                if (a[0].is_null() || (!a[1].is_null() && a[0] == a[1])) return nullptr;
                return &a[0];
              }))
              .Build());
  reg.Add(FunctionBuilder("AS_VALUE", "conditional", "Copies a key column into the value (returns its argument).")
              .Overload("(key T) -> T", ReturnsArgType(0, [](const Args& a, EvalContext&) { return a[0]; }, false))
              .Build());
}

}  // namespace pipeline::sql::scalar
