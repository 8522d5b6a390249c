// Array functions: ARRAY_CONTAINS, ARRAY_DISTINCT, ARRAY_EXCEPT, ARRAY_INTERSECT, ARRAY_UNION, ARRAY_CONCAT,
// ARRAY_JOIN, ARRAY_LENGTH, ARRAY_MAX, ARRAY_MIN, ARRAY_REMOVE, ARRAY_SORT, SLICE, GENERATE_SERIES.
// Element equality is Value equality (NULL equals NULL here, as in Java's List.contains).
#include <algorithm>
#include <strings.h>

#include "sql/functions/scalar/families.h"
#include "sql/functions/scalar/java_text.h"
#include "sql/functions/scalar/signature.h"
#include "sql/functions/scalar/value_access.h"
#include "sql/functions/scalar/value_compare.h"

namespace pipeline::sql::scalar {

namespace {

bool Contains(const Array& a, const Value& v) { return std::find(a.begin(), a.end(), v) != a.end(); }

Array Distinct(const Array& in) {
  Array out;
  for (const Value& v : in)
    if (!Contains(out, v)) out.push_back(v);
  return out;
}

// The return type is the type of the first array argument that is not a NULL literal.
ImplFactory SameArrayType(ScalarImpl impl, bool null_if_any_null = true) { return ReturnsArgType(0, std::move(impl), null_if_any_null); }

SqlType ElementOf(const std::vector<SqlType>& args) {
  for (const SqlType& t : args)
    if (t.id == TypeId::kArray && t.element) return *t.element;
  return SqlType();
}

Value Sort(const Args& a, EvalContext& ctx) {
  Array items = a[0].as_array();
  bool descending = false;
  if (a.size() > 1) {
    const std::string& dir = a[1].as_string();
    if (strcasecmp(dir.c_str(), "DESC") == 0) descending = true;
    else if (strcasecmp(dir.c_str(), "ASC") != 0) {
      ctx.Fail("ARRAY_SORT direction must be ASC or DESC, not '" + dir + "'");
      return Value();
    }
  }
  // NULLs go last in both directions.
  auto nulls = std::stable_partition(items.begin(), items.end(), [](const Value& v) { return !v.is_null(); });
  std::stable_sort(items.begin(), nulls, [descending](const Value& x, const Value& y) {
    int c = CompareValues(x, y);
    return descending ? c > 0 : c < 0;
  });
  return Value(std::move(items));
}

Value Extreme(const Array& items, bool max) {
  const Value* best = nullptr;
  for (const Value& v : items) {
    if (v.is_null()) continue;
    if (!best || (max ? CompareValues(v, *best) > 0 : CompareValues(v, *best) < 0)) best = &v;
  }
  return best ? *best : Value();
}

// SLICE(list, from, to): 1-based, both ends included (List.subList(from - 1, to)); NULL when out of range.
Value Slice(const Args& a) {
  if (a[0].is_null()) return Value();
  const Array& items = a[0].as_array();
  auto size = static_cast<int64_t>(items.size());
  int64_t start = a[1].is_null() ? 0 : AsInt(a[1]) - 1;
  int64_t end = a[2].is_null() ? size : AsInt(a[2]);
  if (start < 0 || end > size || start > end) return Value();
  return Value(Array(items.begin() + start, items.begin() + end));
}

Value Series(const Args& a, EvalContext& ctx, bool int32) {
  int64_t start = AsInt(a[0]), end = AsInt(a[1]);
  int64_t step = a.size() > 2 ? AsInt(a[2]) : (start <= end ? 1 : -1);
  if (step == 0) {
    ctx.Fail("GENERATE_SERIES step cannot be zero");
    return Value();
  }
  if ((end - start) / step < 0 && start != end) {
    ctx.Fail("GENERATE_SERIES step has wrong sign");
    return Value();
  }
  if ((end - start) / step > 10'000'000) {
    ctx.Fail("GENERATE_SERIES would produce more than 10,000,000 elements");
    return Value();
  }
  Array out;
  for (int64_t v = start; step > 0 ? v <= end : v >= end; v += step) out.push_back(Value(int32 ? WrapInt32(v) : v));
  return Value(std::move(out));
}

}  // namespace

void RegisterArrayFunctions(ScalarFunctionRegistry& reg) {
  const SqlType kBool = T(TypeId::kBoolean);
  const SqlType kInt = T(TypeId::kInt);
  const SqlType kString = T(TypeId::kString);

  reg.Add(FunctionBuilder("ARRAY_CONTAINS", "array", "Whether the array contains the value.")
              .Overload("(array ARRAY<T>, val T) -> BOOLEAN", ReturnsNullAware(kBool, [](const Args& a, EvalContext&) -> Value {
                if (a[0].is_null()) return Value(false);
                return Value(Contains(a[0].as_array(), a[1]));
              }))
              .Build());
  reg.Add(FunctionBuilder("ARRAY_DISTINCT", "array", "The distinct elements, in order of first occurrence.")
              .Overload("(array ARRAY<T>) -> ARRAY<T>",
                        SameArrayType([](const Args& a, EvalContext&) { return Value(Distinct(a[0].as_array())); }))
              .Build());
  reg.Add(FunctionBuilder("ARRAY_EXCEPT", "array", "The distinct elements of array1 that are not in array2.")
              .Overload("(array1 ARRAY<T>, array2 ARRAY<T>) -> ARRAY<T>", SameArrayType([](const Args& a, EvalContext&) {
                Array out;
                for (const Value& v : Distinct(a[0].as_array()))
                  if (!Contains(a[1].as_array(), v)) out.push_back(v);
                return Value(std::move(out));
              }))
              .Build());
  reg.Add(FunctionBuilder("ARRAY_INTERSECT", "array", "The distinct elements present in both arrays, in array1's order.")
              .Overload("(array1 ARRAY<T>, array2 ARRAY<T>) -> ARRAY<T>", SameArrayType([](const Args& a, EvalContext&) {
                Array out;
                for (const Value& v : Distinct(a[0].as_array()))
                  if (Contains(a[1].as_array(), v)) out.push_back(v);
                return Value(std::move(out));
              }))
              .Build());
  reg.Add(FunctionBuilder("ARRAY_UNION", "array", "The distinct elements of both arrays, in order of occurrence.")
              .Overload("(array1 ARRAY<T>, array2 ARRAY<T>) -> ARRAY<T>", SameArrayType([](const Args& a, EvalContext&) {
                Array both = a[0].as_array();
                both.insert(both.end(), a[1].as_array().begin(), a[1].as_array().end());
                return Value(Distinct(both));
              }))
              .Build());
  reg.Add(FunctionBuilder("ARRAY_CONCAT", "array",
                          "array1 followed by array2; a NULL array counts as empty, NULL if both are NULL.")
              .Overload("(array1 ARRAY<T>, array2 ARRAY<T>) -> ARRAY<T>", SameArrayType([](const Args& a, EvalContext&) -> Value {
                if (a[0].is_null()) return a[1];
                if (a[1].is_null()) return a[0];
                Array both = a[0].as_array();
                both.insert(both.end(), a[1].as_array().begin(), a[1].as_array().end());
                return Value(std::move(both));
              }, false))
              .Build());

  auto join = [](const Args& a, EvalContext&) -> Value {
    if (a[0].is_null()) return Value();
    std::string delimiter = a.size() > 1 ? (a[1].is_null() ? "" : a[1].as_string()) : ",";
    std::string out;
    bool first = true;
    for (const Value& v : a[0].as_array()) {
      if (!first) out += delimiter;
      first = false;
      out += JavaValueString(v);
    }
    return Value(std::move(out));
  };
  reg.Add(FunctionBuilder("ARRAY_JOIN", "array",
                          "The elements as text joined by delimiter (default ','); NULL elements print as 'null'.")
              .Overload("(array ARRAY<T>) -> STRING", ReturnsNullAware(kString, join))
              .Overload("(array ARRAY<T>, delimiter STRING) -> STRING", ReturnsNullAware(kString, join))
              .Build());
  reg.Add(FunctionBuilder("ARRAY_LENGTH", "array", "The number of elements.")
              .Overload("(array ARRAY<T>) -> INTEGER", Returns(kInt, [](const Args& a, EvalContext&) {
                return Value(static_cast<int64_t>(a[0].as_array().size()));
              }))
              .Build());

  auto element_type = [](bool max) -> ImplFactory {
    return [max](const std::vector<SqlType>& args) -> Result<BoundScalar> {
      return BoundScalar{ElementOf(args), [max](const Args& a, EvalContext&) { return Extreme(a[0].as_array(), max); }, true};
    };
  };
  reg.Add(FunctionBuilder("ARRAY_MAX", "array", "The largest non-NULL element of an array of primitives.")
              .Overload("(array ARRAY<T>) -> T", element_type(true))
              .Build());
  reg.Add(FunctionBuilder("ARRAY_MIN", "array", "The smallest non-NULL element of an array of primitives.")
              .Overload("(array ARRAY<T>) -> T", element_type(false))
              .Build());
  reg.Add(FunctionBuilder("ARRAY_REMOVE", "array", "The array without the elements equal to victim (NULL removes NULLs).")
              .Overload("(array ARRAY<T>, victim T) -> ARRAY<T>", SameArrayType([](const Args& a, EvalContext&) -> Value {
                if (a[0].is_null()) return Value();
                Array out;
                for (const Value& v : a[0].as_array())
                  if (!(v == a[1])) out.push_back(v);
                return Value(std::move(out));
              }, false))
              .Build());
  reg.Add(FunctionBuilder("ARRAY_SORT", "array", "The elements in natural order, ASC (default) or DESC; NULLs last.")
              .Overload("(array ARRAY<T>) -> ARRAY<T>", SameArrayType(Sort))
              .Overload("(array ARRAY<T>, direction STRING) -> ARRAY<T>", SameArrayType(Sort))
              .Build());
  reg.Add(FunctionBuilder("SLICE", "array", "The elements from position from to position to (1-based, inclusive); NULL when out of range.")
              .Overload("(array ARRAY<T>, from INTEGER, to INTEGER) -> ARRAY<T>",
                        SameArrayType([](const Args& a, EvalContext&) { return Slice(a); }, false))
              .Build());
  reg.Add(FunctionBuilder("GENERATE_SERIES", "array",
                          "The numbers from start to end inclusive, by step (default 1, or -1 when end < start).")
              .Overload("(start INTEGER, end INTEGER) -> ARRAY<INTEGER>",
                        Returns(SqlType::Array(kInt), [](const Args& a, EvalContext& ctx) { return Series(a, ctx, true); }))
              .Overload("(start INTEGER, end INTEGER, step INTEGER) -> ARRAY<INTEGER>",
                        Returns(SqlType::Array(kInt), [](const Args& a, EvalContext& ctx) { return Series(a, ctx, true); }))
              .Overload("(start BIGINT, end BIGINT) -> ARRAY<BIGINT>",
                        Returns(SqlType::Array(T(TypeId::kBigInt)), [](const Args& a, EvalContext& ctx) { return Series(a, ctx, false); }))
              .Overload("(start BIGINT, end BIGINT, step INTEGER) -> ARRAY<BIGINT>",
                        Returns(SqlType::Array(T(TypeId::kBigInt)), [](const Args& a, EvalContext& ctx) { return Series(a, ctx, false); }))
              .Build());
}

}  // namespace pipeline::sql::scalar
