#include <doctest/doctest.h>

#include "sql/functions/scalar/tests/call.h"

namespace pipeline::sql::scalar::testing {

namespace {

Arg IntArray(std::vector<Value> items) {
  return Typed(Value(Array(std::move(items))), SqlType::Array(SqlType::Of(TypeId::kInt)));
}
Arg StrArray(std::vector<Value> items) {
  return Typed(Value(Array(std::move(items))), SqlType::Array(SqlType::Of(TypeId::kString)));
}
Arg IntMap(Map m) { return Typed(Value(std::move(m)), SqlType::Map(SqlType::Of(TypeId::kString), SqlType::Of(TypeId::kInt))); }
Value Ints(std::initializer_list<int64_t> xs) {
  Array a;
  for (int64_t x : xs) a.push_back(Value(x));
  return Value(std::move(a));
}

}  // namespace

TEST_SUITE("sql.functions.array") {

TEST_CASE("set operations keep first-occurrence order") {
  Arg a = IntArray({Value(0), Value(0), Value(1), Value(0), Value(-1)});
  CHECK(Eval("ARRAY_DISTINCT", {a}) == Ints({0, 1, -1}));
  CHECK(Eval("ARRAY_INTERSECT", {a, IntArray({Value(1), Value(-2), Value(0)})}) == Ints({0, 1}));
  CHECK(Eval("ARRAY_UNION", {a, IntArray({Value(1), Value(-2), Value(0)})}) == Ints({0, 1, -1, -2}));
  CHECK(Eval("ARRAY_EXCEPT", {IntArray({Value(1), Value(2), Value(3), Value(1), Value(2)}), IntArray({Value(2), Value(3)})}) == Ints({1}));
  CHECK(Eval("ARRAY_UNION", {Null(), IntArray({Value(1)})}).is_null());
  CHECK(Call("ARRAY_DISTINCT", {a}).type == SqlType::Array(SqlType::Of(TypeId::kInt)));
}

TEST_CASE("ARRAY_CONCAT treats one NULL side as empty") {
  CHECK(Eval("ARRAY_CONCAT", {IntArray({Value(1)}), IntArray({Value(2)})}) == Ints({1, 2}));
  CHECK(Eval("ARRAY_CONCAT", {Null(), IntArray({Value(2)})}) == Ints({2}));
  CHECK(Eval("ARRAY_CONCAT", {IntArray({Value(1)}), Null()}) == Ints({1}));
}

TEST_CASE("sort, min, max, remove, contains, length, join") {
  Arg s = StrArray({Value("foo"), Value("fo"), Value("Food"), Value(), Value("F"), Value("food")});
  CHECK(Eval("ARRAY_SORT", {s, Str("desc")}) ==
        Value(Array{Value("food"), Value("foo"), Value("fo"), Value("Food"), Value("F"), Value()}));
  CHECK(Eval("ARRAY_SORT", {s}) == Value(Array{Value("F"), Value("Food"), Value("fo"), Value("foo"), Value("food"), Value()}));
  CHECK(Eval("ARRAY_MAX", {s}) == Value("food"));
  CHECK(Eval("ARRAY_MIN", {s}) == Value("F"));
  CHECK(Call("ARRAY_MAX", {s}).type == SqlType::Of(TypeId::kString));
  CHECK(Eval("ARRAY_MAX", {IntArray({})}).is_null());
  CHECK(Eval("ARRAY_REMOVE", {IntArray({Value(1), Value(2), Value(3), Value(2), Value(1)}), Int(2)}) == Ints({1, 3, 1}));
  CHECK(Eval("ARRAY_REMOVE", {StrArray({Value("a"), Value()}), Null()}) == Value(Array{Value("a")}));
  CHECK(Eval("ARRAY_CONTAINS", {StrArray({Value("Pink")}), Str("Pink")}) == Value(true));
  CHECK(Eval("ARRAY_CONTAINS", {Null(), Str("Pink")}) == Value(false));
  CHECK(Eval("ARRAY_LENGTH", {IntArray({Value(1), Value(2)})}) == Value(int64_t{2}));
  Arg bools = Typed(Value(Array{Value(true), Value(), Value(false)}), SqlType::Array(SqlType::Of(TypeId::kBoolean)));
  CHECK(Eval("ARRAY_JOIN", {bools}) == Value("true,null,false"));
  Arg doubles = Typed(Value(Array{Value(1.23), Value(-23.42), Value(0.0)}), SqlType::Array(SqlType::Of(TypeId::kDouble)));
  CHECK(Eval("ARRAY_JOIN", {doubles, Str(" ")}) == Value("1.23 -23.42 0.0"));
  CHECK(Eval("ARRAY_JOIN", {doubles, Null(TypeId::kString)}) == Value("1.23-23.420.0"));
}

TEST_CASE("SLICE and GENERATE_SERIES") {
  Arg a = IntArray({Value(1), Value(2), Value(3), Value(4)});
  CHECK(Eval("SLICE", {a, Int(2), Int(3)}) == Ints({2, 3}));
  CHECK(Eval("SLICE", {a, Int(0), Int(9)}).is_null());
  CHECK(Eval("SLICE", {a, Int(1), Int(4)}) == Ints({1, 2, 3, 4}));
  CHECK(Eval("SLICE", {a, Int(3), Null(TypeId::kInt)}) == Ints({3, 4}));
  CHECK(Eval("GENERATE_SERIES", {Int(0), Int(3)}) == Ints({0, 1, 2, 3}));
  CHECK(Eval("GENERATE_SERIES", {Int(4), Int(0)}) == Ints({4, 3, 2, 1, 0}));
  CHECK(Eval("GENERATE_SERIES", {Int(0), Int(10), Int(5)}) == Ints({0, 5, 10}));
  CHECK(Call("GENERATE_SERIES", {Big(0), Big(1)}).type == SqlType::Array(SqlType::Of(TypeId::kBigInt)));
  CHECK(!Call("GENERATE_SERIES", {Int(0), Int(10), Int(-1)}).error.empty());
}

}  // TEST_SUITE

TEST_SUITE("sql.functions.map") {

TEST_CASE("keys, values, union, as_map, entries") {
  Arg m = IntMap({{Value("foo"), Value(10)}, {Value("bar"), Value(20)}});
  CHECK(Eval("MAP_KEYS", {m}) == Value(Array{Value("foo"), Value("bar")}));
  CHECK(Eval("MAP_VALUES", {m}) == Ints({10, 20}));
  CHECK(Call("MAP_VALUES", {m}).type == SqlType::Array(SqlType::Of(TypeId::kInt)));
  CHECK(Eval("MAP_UNION", {m, IntMap({{Value("foo"), Value(99)}, {Value("apple"), Value(-1)}})}) ==
        Value(Map{{Value("foo"), Value(99)}, {Value("bar"), Value(20)}, {Value("apple"), Value(-1)}}));
  CHECK(Eval("MAP_UNION", {Null(), m}) == m.value);
  CHECK(Eval("AS_MAP", {StrArray({Value("a"), Value("b")}), IntArray({Value(1), Value(2), Value(3)})}) ==
        Value(Map{{Value("a"), Value(1)}, {Value("b"), Value(2)}}));
  CallResult entries = Call("ENTRIES", {m, Bool(true)});
  REQUIRE(entries.value.is_array());
  REQUIRE(entries.value.as_array().size() == 2);
  CHECK(*entries.value.as_array()[0].Field("K") == Value("bar"));
  CHECK(*entries.value.as_array()[0].Field("V") == Value(20));
  CHECK(entries.type.element->fields[1].name == "V");
}

}  // TEST_SUITE

TEST_SUITE("sql.functions.conditional") {

TEST_CASE("COALESCE, IFNULL, NULLIF") {
  CHECK(Eval("COALESCE", {Null(TypeId::kInt), Int(2), Int(3)}) == Value(2));
  CHECK(Eval("COALESCE", {Null(TypeId::kString), Str("x")}) == Value("x"));
  CHECK(Call("COALESCE", {}).error.find("Function 'COALESCE' does not accept parameters ()") == 0);
  CallResult widened = Call("COALESCE", {Null(TypeId::kInt), Dbl(1.5)});
  CHECK(widened.type == SqlType::Of(TypeId::kDouble));
  CHECK(Eval("COALESCE", {Int(1), Dbl(1.5)}) == Value(1.0));
  CHECK(Eval("IFNULL", {Null(TypeId::kInt), Int(10)}) == Value(10));
  CHECK(Call("IFNULL", {Null(), Str("x")}).type == SqlType::Of(TypeId::kString));
  CHECK(Eval("NULLIF", {Int(10), Int(10)}).is_null());
  CHECK(Eval("NULLIF", {Int(1), Int(10)}) == Value(1));
  CHECK(Eval("NULLIF", {Str("a"), Null(TypeId::kString)}) == Value("a"));
  CHECK(Call("COALESCE", {Str("a"), Int(1)}).error.find("does not accept parameters (STRING, INTEGER)") != std::string::npos);
  CHECK(Eval("AS_VALUE", {Str("k")}) == Value("k"));
}

}  // TEST_SUITE

}  // namespace pipeline::sql::scalar::testing
