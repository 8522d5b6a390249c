#include <doctest/doctest.h>

#include "sql/functions/scalar/tests/call.h"

namespace pipeline::sql::scalar::testing {

TEST_SUITE("sql.functions.string") {

TEST_CASE("SUBSTRING follows ksqlDB positions") {
  CHECK(Eval("SUBSTRING", {Str("some_string"), Int(6)}) == Value("string"));
  CHECK(Eval("SUBSTRING", {Str("another"), Int(6)}) == Value("er"));
  CHECK(Eval("SUBSTRING", {Str("short"), Int(6)}) == Value(""));
  CHECK(Eval("SUBSTRING", {Str("some_string"), Int(6), Int(3)}) == Value("str"));
  CHECK(Eval("SUBSTRING", {Str("lower"), Int(2), Int(5)}) == Value("ower"));
  CHECK(Eval("SUBSTRING", {Str("stream"), Int(0), Int(2)}) == Value("st"));
  CHECK(Eval("SUBSTRING", {Str("stream"), Int(-3)}) == Value("eam"));
  CHECK(Eval("SUBSTRING", {Str("stream"), Int(-3), Int(2)}) == Value("ea"));
  CHECK(Eval("SUBSTRING", {Str("stream"), Int(2), Int(-1)}) == Value(""));
  CHECK(Eval("SUBSTRING", {Str("héllo"), Int(2), Int(2)}) == Value("él"));
  CHECK(Eval("SUBSTRING", {Str("x"), Null()}).is_null());
  CHECK(Eval("SUBSTRING", {Byt("some_string"), Int(6), Int(3)}) == Value(Bytes{"str"}));
  CallResult bad = Call("SUBSTRING", {Bool(true)});
  CHECK(bad.error.find("Function 'SUBSTRING' does not accept parameters (BOOLEAN).") == 0);
  CHECK(bad.error.find("Valid alternatives are:") != std::string::npos);
  // A value of the wrong kind (an engine bug) is a per-record error, not an exception.
  CallResult wrong_kind = Call("SUBSTRING", {Typed(Value(int64_t{5}), SqlType::Of(TypeId::kString)), Int(1)});
  CHECK(wrong_kind.value.is_null());
  CHECK(!wrong_kind.error.empty());
}

TEST_CASE("CONCAT and CONCAT_WS handle NULLs like ksqlDB") {
  CHECK(Eval("CONCAT", {Str("prefix-"), Str("s1"), Str("-postfix")}) == Value("prefix-s1-postfix"));
  CHECK(Eval("CONCAT", {Str("a"), Null(), Str("b")}) == Value("ab"));
  CHECK(Eval("CONCAT", {Byt("yes"), Null(), Byt("no")}) == Value(Bytes{"yesno"}));
  CHECK(Eval("CONCAT_WS", {Str(", "), Str("apple"), Str("banana"), Null(), Str("date")}) == Value("apple, banana, date"));
  CHECK(Eval("CONCAT_WS", {Null(TypeId::kString), Str("a")}).is_null());
  CHECK(Eval("CONCAT_WS", {Byt("a"), Null(TypeId::kBytes), Null(TypeId::kBytes)}) == Value(Bytes{""}));
}

TEST_CASE("case, trim, length") {
  CHECK(Eval("UCASE", {Str("MiXeD")}) == Value("MIXED"));
  CHECK(Eval("LCASE", {Str("MiXeD")}) == Value("mixed"));
  CHECK(Eval("UCASE", {Str("straße é")}) == Value("STRASSE É"));
  CHECK(Eval("TRIM", {Str(" \t with white space \t")}) == Value("with white space"));
  CHECK(Eval("LTRIM", {Str("  a ")}) == Value("a "));
  CHECK(Eval("RTRIM", {Str("  a ")}) == Value("  a"));
  CHECK(Eval("LEN", {Str("ABC")}) == Value(int64_t{3}));
  CHECK(Eval("LEN", {Str("é")}) == Value(int64_t{1}));
  CHECK(Eval("LEN", {Byt("abc")}) == Value(int64_t{3}));
  CHECK(Call("LEN", {Str("")}).type == SqlType::Of(TypeId::kInt));
  CHECK(Eval("INITCAP", {Str("  the quick  BROWN fox")}) == Value("The Quick  Brown Fox"));
}

TEST_CASE("INSTR with positions and occurrences") {
  CHECK(Eval("INSTR", {Str("corporate floor"), Str("or")}) == Value(int64_t{2}));
  CHECK(Eval("INSTR", {Str("should I stay or should I go"), Str("or")}) == Value(int64_t{15}));
  CHECK(Eval("INSTR", {Str("no substring"), Str("or")}) == Value(int64_t{0}));
  CHECK(Eval("INSTR", {Str("corporate floor"), Str("or"), Int(4)}) == Value(int64_t{5}));
  CHECK(Eval("INSTR", {Str("short"), Str("or"), Int(4)}) == Value(int64_t{0}));
  CHECK(Eval("INSTR", {Str("corporate floor"), Str("or"), Int(4), Int(2)}) == Value(int64_t{14}));
  CHECK(Eval("INSTR", {Str("corporate floor"), Str("or"), Int(-4)}) == Value(int64_t{5}));
  CHECK(Eval("INSTR", {Str("corporate floor"), Str("or"), Int(-4), Int(2)}) == Value(int64_t{2}));
  CHECK(Eval("INSTR", {Str("short"), Str("or"), Int(-4), Int(2)}) == Value(int64_t{0}));
  CHECK(Eval("INSTR", {Str("CORPORATE FLOOR"), Str("OR"), Int(-3)}) == Value(int64_t{5}));
  CHECK(Eval("INSTR", {Str("CORPORATE FLOOR"), Str("OR"), Int(3), Int(2)}) == Value(int64_t{14}));
  CHECK(Eval("INSTR", {Str("CORPORATE FLOOR"), Str("OR"), Int(-3), Int(2)}) == Value(int64_t{2}));
  CHECK(Eval("INSTR", {Str("CORPORATE FLOOR"), Str("OR"), Int(99)}) == Value(int64_t{0}));
  CHECK(Eval("INSTR", {Null(TypeId::kString), Str("OR")}) == Value(int64_t{0}));
  CHECK(Eval("INSTR", {Str("héllo wörld"), Str("wö")}) == Value(int64_t{7}));
}

TEST_CASE("REPLACE, SPLIT, SPLIT_TO_MAP") {
  CHECK(Eval("REPLACE", {Str("foo bar foo"), Str("foo"), Str("x")}) == Value("x bar x"));
  CHECK(Eval("SPLIT", {Str(".abc."), Str(".")}) == Value(Array{Value(""), Value("abc"), Value("")}));
  CHECK(Eval("SPLIT", {Str("abc"), Str("")}) == Value(Array{Value("a"), Value("b"), Value("c")}));
  CHECK(Eval("SPLIT", {Str(""), Str("")}) == Value(Array{Value("")}));
  CHECK(Eval("SPLIT", {Str("a$$b.c"), Str("$$")}) == Value(Array{Value("a"), Value("b.c")}));
  CHECK(Eval("SPLIT", {Byt("a,b"), Byt(",")}) == Value(Array{Value(Bytes{"a"}), Value(Bytes{"b"})}));
  Value m = Eval("SPLIT_TO_MAP", {Str("apple:=green/cherry:=red/apple:=red"), Str("/"), Str(":=")});
  CHECK(m == Value(Map{{Value("apple"), Value("red")}, {Value("cherry"), Value("red")}}));
  CHECK(Eval("SPLIT_TO_MAP", {Str("a=b"), Str(""), Str("=")}).is_null());
}

TEST_CASE("CHR, ELT, FIELD, UUID") {
  CHECK(Eval("CHR", {Int(75)}) == Value("K"));
  CHECK(Eval("CHR", {Int(22909)}) == Value("好"));
  CHECK(Eval("CHR", {Str("\\u004b")}) == Value("K"));
  CHECK(Eval("CHR", {Str("\\ud820\\udeb8")}) == Value("\xF0\x98\x8A\xB8"));
  CHECK(Eval("CHR", {Str("75")}).is_null());
  CHECK(Eval("CHR", {Str("")}).is_null());
  CHECK(Eval("ELT", {Int(2), Str("ignored"), Str("something")}) == Value("something"));
  CHECK(Eval("ELT", {Int(3), Str("a"), Str("b")}).is_null());
  CHECK(Eval("FIELD", {Str("hello"), Str("world"), Str("hello")}) == Value(int64_t{2}));
  CHECK(Eval("FIELD", {Null(TypeId::kString), Str("a")}) == Value(int64_t{0}));
  Value u = Eval("UUID", {});
  REQUIRE(u.is_string());
  CHECK(u.as_string().size() == 36);
  CHECK(u.as_string()[14] == '4');
}

}  // TEST_SUITE

}  // namespace pipeline::sql::scalar::testing
