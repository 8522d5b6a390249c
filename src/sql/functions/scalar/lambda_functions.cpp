// Lambda functions: TRANSFORM, FILTER, REDUCE over arrays and maps, as ksqlDB's Transform / Filter / Reduce UDFs.
// A NULL collection gives NULL (REDUCE: the initial state); a NULL initial state makes REDUCE NULL. Where ksqlDB
// collects a map with Collectors.toMap, a NULL value or a duplicate key throws there; here it is a per-record
// error, and the call gives NULL.
#include <algorithm>

#include "sql/functions/scalar/families.h"
#include "sql/functions/scalar/java_hash_order.h"

namespace pipeline::sql::scalar {

namespace {

const SqlType kUnknown = SqlType::Of(TypeId::kUnknown);
const SqlType kString = SqlType::Of(TypeId::kString);

SqlType ElementTypeOf(const SqlType& t) { return t.element ? *t.element : kUnknown; }
SqlType KeyTypeOf(const SqlType& t) { return t.key ? *t.key : kString; }

// "(ARRAY<INTEGER>, LAMBDA)": what the call passed, for the "does not accept parameters" message.
std::string Describe(const HigherOrderArgs& args) {
  std::string s = "(";
  for (size_t i = 0; i < args.types.size(); ++i) {
    if (i) s += ", ";
    s += args.is_lambda[i] ? "LAMBDA" : args.types[i].id == TypeId::kUnknown ? "NULL" : args.types[i].ToString();
  }
  return s + ")";
}

// The call's arguments are a collection of `kind` then lambdas at exactly the positions `lambda_at`.
bool Shaped(const HigherOrderArgs& args, TypeId kind, std::initializer_list<size_t> lambda_at, size_t count) {
  if (args.types.size() != count) return false;
  if (args.is_lambda[0] || (args.types[0].id != kind && args.types[0].id != TypeId::kUnknown)) return false;
  for (size_t i = 0; i < count; ++i) {
    bool want = std::find(lambda_at.begin(), lambda_at.end(), i) != lambda_at.end();
    if (args.is_lambda[i] != want) return false;
  }
  return true;
}

Error NoMatch(const HigherOrderArgs& args, const std::string& alternatives) {
  return ConfigError("does not accept parameters " + Describe(args) + ".\nValid alternatives are:\n" + alternatives);
}

Status ExpectBoolean(const SqlType& body) {
  if (body.id == TypeId::kBoolean || body.id == TypeId::kUnknown) return {};
  return ConfigError("expects a lambda that returns BOOLEAN, got " + body.ToString());
}

// Values that are not of the expected kind (a bad cast upstream) become a per-record error, not an exception.
HigherOrderImpl Guarded(std::string name, HigherOrderImpl impl) {
  return [name = std::move(name), impl = std::move(impl)](const std::vector<Value>& a, std::span<const LambdaArg* const> f,
                                                          EvalContext& ctx) -> Value {
    try {
      return impl(a, f, ctx);
    } catch (const std::exception& e) {
      ctx.Fail(name + ": " + e.what());
      return Value();
    }
  };
}

// Puts an entry the way Collectors.toMap does: NULL values and repeated keys are errors.
bool CollectEntry(Map& out, Value key, Value value, EvalContext& ctx) {
  if (value.is_null()) {
    ctx.Fail("NULL value in the resulting map");
    return false;
  }
  for (const auto& [k, v] : out)
    if (k == key) {
      ctx.Fail("Duplicate key " + key.ToString() + " in the resulting map");
      return false;
    }
  out.emplace_back(std::move(key), std::move(value));
  return true;
}

// ---- TRANSFORM ----

const char* kTransformSignatures =
    "TRANSFORM(array ARRAY<T>, fn (T) => R) -> ARRAY<R>\n"
    "TRANSFORM(map MAP<K, V>, key_fn (K, V) => K2, value_fn (K, V) => V2) -> MAP<K2, V2>";

Result<std::vector<SqlType>> TransformParams(const HigherOrderArgs& args, size_t) {
  if (Shaped(args, TypeId::kArray, {1}, 2)) return std::vector<SqlType>{ElementTypeOf(args.types[0])};
  if (Shaped(args, TypeId::kMap, {1, 2}, 3)) return std::vector<SqlType>{KeyTypeOf(args.types[0]), ElementTypeOf(args.types[0])};
  return NoMatch(args, kTransformSignatures);
}

Value TransformArray(const std::vector<Value>& a, std::span<const LambdaArg* const> fn, EvalContext&) {
  if (a[0].is_null()) return Value();
  Array out;
  out.reserve(a[0].as_array().size());
  for (const Value& x : a[0].as_array()) out.push_back(fn[0]->Call({x}));
  return Value(std::move(out));
}

Value TransformMap(const std::vector<Value>& a, std::span<const LambdaArg* const> fn, EvalContext& ctx) {
  if (a[0].is_null()) return Value();
  Map out;
  for (const auto& [k, v] : a[0].as_map())
    if (!CollectEntry(out, fn[0]->Call({k, v}), fn[1]->Call({k, v}), ctx)) return Value();
  return Value(std::move(out));
}

Result<BoundHigherOrder> BindTransform(const HigherOrderArgs& args) {
  if (args.types.size() == 2) return BoundHigherOrder{SqlType::Array(args.types[1]), Guarded("TRANSFORM", TransformArray)};
  return BoundHigherOrder{SqlType::Map(args.types[1], args.types[2]), Guarded("TRANSFORM", TransformMap)};
}

// ---- FILTER ----

const char* kFilterSignatures =
    "FILTER(array ARRAY<T>, fn (T) => BOOLEAN) -> ARRAY<T>\n"
    "FILTER(map MAP<K, V>, fn (K, V) => BOOLEAN) -> MAP<K, V>";

Result<std::vector<SqlType>> FilterParams(const HigherOrderArgs& args, size_t) {
  if (Shaped(args, TypeId::kArray, {1}, 2)) return std::vector<SqlType>{ElementTypeOf(args.types[0])};
  if (Shaped(args, TypeId::kMap, {1}, 2)) return std::vector<SqlType>{KeyTypeOf(args.types[0]), ElementTypeOf(args.types[0])};
  return NoMatch(args, kFilterSignatures);
}

// A NULL from the lambda drops the element: ksqlDB's comparisons give false where pipe's give NULL.
bool Kept(const Value& verdict) { return verdict.is_bool() && verdict.as_bool(); }

Value FilterArray(const std::vector<Value>& a, std::span<const LambdaArg* const> fn, EvalContext&) {
  if (a[0].is_null()) return Value();
  Array out;
  for (const Value& x : a[0].as_array())
    if (Kept(fn[0]->Call({x}))) out.push_back(x);
  return Value(std::move(out));
}

Value FilterMap(const std::vector<Value>& a, std::span<const LambdaArg* const> fn, EvalContext& ctx) {
  if (a[0].is_null()) return Value();
  Map out;
  for (const auto& [k, v] : a[0].as_map())
    if (Kept(fn[0]->Call({k, v})) && !CollectEntry(out, k, v, ctx)) return Value();
  return Value(std::move(out));
}

Result<BoundHigherOrder> BindFilter(const HigherOrderArgs& args) {
  PIPE_RETURN_IF_ERROR(ExpectBoolean(args.types[1]));
  bool is_array = args.types[0].id != TypeId::kMap;
  return BoundHigherOrder{args.types[0], Guarded("FILTER", is_array ? FilterArray : FilterMap)};
}

// ---- REDUCE ----

const char* kReduceSignatures =
    "REDUCE(array ARRAY<T>, initial S, fn (S, T) => S) -> S\n"
    "REDUCE(map MAP<K, V>, initial S, fn (S, K, V) => S) -> S";

Result<std::vector<SqlType>> ReduceParams(const HigherOrderArgs& args, size_t) {
  const SqlType& state = args.types[1];
  if (Shaped(args, TypeId::kArray, {2}, 3)) return std::vector<SqlType>{state, ElementTypeOf(args.types[0])};
  if (Shaped(args, TypeId::kMap, {2}, 3)) return std::vector<SqlType>{state, KeyTypeOf(args.types[0]), ElementTypeOf(args.types[0])};
  return NoMatch(args, kReduceSignatures);
}

Value ReduceArray(const std::vector<Value>& a, std::span<const LambdaArg* const> fn, EvalContext&) {
  if (a[1].is_null()) return Value();
  if (a[0].is_null()) return a[1];
  Value state = a[1];
  for (const Value& x : a[0].as_array()) state = fn[0]->Call({state, x});
  return state;
}

Value ReduceMap(const std::vector<Value>& a, std::span<const LambdaArg* const> fn, EvalContext&) {
  if (a[1].is_null()) return Value();
  if (a[0].is_null()) return a[1];
  const Map& m = a[0].as_map();
  Value state = a[1];
  for (size_t i : JavaHashMapOrder(m)) state = fn[0]->Call({state, m[i].first, m[i].second});
  return state;
}

Result<BoundHigherOrder> BindReduce(const HigherOrderArgs& args) {
  const SqlType& state = args.types[1];
  const SqlType& body = args.types[2];
  // The state is passed back into the lambda, so the lambda must return the state's type.
  if (state.id != TypeId::kUnknown && body.id != TypeId::kUnknown && state != body)
    return ConfigError("expects a lambda that returns the initial state's type " + state.ToString() + ", got " +
                       body.ToString() + " (CAST the initial state to " + body.ToString() + ")");
  bool is_array = args.types[0].id != TypeId::kMap;
  return BoundHigherOrder{state.id == TypeId::kUnknown ? body : state, Guarded("REDUCE", is_array ? ReduceArray : ReduceMap)};
}

ScalarFunctionSpec Spec(std::string name, std::string signature, std::string description, HigherOrderBinder binder) {
  ScalarFunctionSpec spec;
  spec.name = std::move(name);
  spec.category = "lambda";
  spec.signature = std::move(signature);
  spec.description = std::move(description);
  spec.higher_order = std::move(binder);
  return spec;
}

}  // namespace

void RegisterLambdaFunctions(ScalarFunctionRegistry& reg) {
  reg.Add(Spec("TRANSFORM", kTransformSignatures,
               "Applies fn to each element of an array; for a map, key_fn and value_fn to each entry, giving the new "
               "key and value (a NULL value or a repeated key makes the result NULL).",
               {TransformParams, BindTransform}));
  reg.Add(Spec("FILTER", kFilterSignatures,
               "The elements of an array, or the entries of a map, for which fn returns true (a kept map entry with a NULL "
               "value makes the result NULL).",
               {FilterParams, BindFilter}));
  reg.Add(Spec("REDUCE", kReduceSignatures,
               "Folds a collection into one value: s starts as initial, and fn gives the next s for each element (each "
               "map entry, in ksqlDB's HashMap order). NULL if initial is NULL; initial if the collection is NULL.",
               {ReduceParams, BindReduce}));
}

}  // namespace pipeline::sql::scalar
