#include <doctest/doctest.h>

#include "sql/functions/scalar/tests/call.h"

namespace pipeline::sql::scalar::testing {

TEST_SUITE("sql.functions.string") {

TEST_CASE("LPAD and RPAD for strings and bytes") {
  CHECK(Eval("LPAD", {Str("foo"), Int(7), Str("Bar")}) == Value("BarBfoo"));
  CHECK(Eval("LPAD", {Str("foo"), Int(5), Str("Bar")}) == Value("Bafoo"));
  CHECK(Eval("LPAD", {Str("foo"), Int(2), Str("Bar")}) == Value("fo"));
  CHECK(Eval("LPAD", {Str("foo"), Int(-1), Str("Bar")}).is_null());
  CHECK(Eval("LPAD", {Str("foo"), Int(7), Str("")}).is_null());
  CHECK(Eval("LPAD", {Str(""), Int(7), Str("Bar")}) == Value("BarBarB"));
  CHECK(Eval("RPAD", {Str("foo"), Int(7), Str("Bar")}) == Value("fooBarB"));
  CHECK(Eval("LPAD", {Byt("yes"), Int(8), Byt("no")}) == Value(Bytes{"nononyes"}));
  CHECK(Eval("RPAD", {Byt("yes"), Int(8), Byt("no")}) == Value(Bytes{"yesnonon"}));
  CHECK(Eval("RPAD", {Byt("yes"), Int(0), Byt("no")}) == Value(Bytes{""}));
}

TEST_CASE("MASK family") {
  CHECK(Eval("MASK", {Str("My Test $123")}) == Value("Xx-Xxxx--nnn"));
  CHECK(Eval("MASK", {Str("My Test $123"), Str("*"), Null(TypeId::kString), Str("1"), Null(TypeId::kString)}) ==
        Value("*y *est $111"));
  CHECK(Eval("MASK_KEEP_LEFT", {Str("My Test $123"), Int(4)}) == Value("My Txxx--nnn"));
  CHECK(Eval("MASK_KEEP_RIGHT", {Str("My Test $123"), Int(4)}) == Value("Xx-Xxxx-$123"));
  CHECK(Eval("MASK_LEFT", {Str("My Test $123"), Int(4)}) == Value("Xx-Xest $123"));
  CHECK(Eval("MASK_RIGHT", {Str("My Test $123"), Int(4)}) == Value("My Test -nnn"));
  CHECK(Eval("MASK", {Null(TypeId::kString)}).is_null());
}

TEST_CASE("regular expressions") {
  CHECK(Eval("REGEXP_EXTRACT", {Str("(.*) (.*)"), Str("hello there"), Int(2)}) == Value("there"));
  CHECK(Eval("REGEXP_EXTRACT", {Str("x+"), Str("hello")}).is_null());
  CHECK(Eval("REGEXP_EXTRACT_ALL", {Str("(\\w+) (\\w+)"), Str("hello there nice day"), Int(2)}) ==
        Value(Array{Value("there"), Value("day")}));
  CHECK(Eval("REGEXP_REPLACE", {Str("baababaa"), Str("(ab)+"), Str("cat")}) == Value("bacataa"));
  CHECK(Eval("REGEXP_REPLACE", {Str("baabbabaa"), Str("(ab)+"), Str("cat")}) == Value("bacatbcataa"));
  CHECK(Eval("REGEXP_REPLACE", {Str("john smith"), Str("(\\w+) (\\w+)"), Str("$2, $1")}) == Value("smith, john"));
  CHECK(Eval("REGEXP_SPLIT_TO_ARRAY", {Str("aabcda"), Str("(ab|cd)")}) == Value(Array{Value("a"), Value(""), Value("a")}));
  CHECK(Eval("REGEXP_SPLIT_TO_ARRAY", {Str("aabdcda"), Str("(ab|cd)")}) == Value(Array{Value("a"), Value("d"), Value("a")}));
  CHECK(Eval("REGEXP_SPLIT_TO_ARRAY", {Str("zxy"), Str("(ab|cd)")}) == Value(Array{Value("zxy")}));
  CallResult bad = Call("REGEXP_EXTRACT", {Str("(unclosed"), Str("x")});
  CHECK(bad.value.is_null());
  CHECK(!bad.error.empty());
}

TEST_CASE("encodings") {
  CHECK(Eval("FROM_BYTES", {Byt("\x1a\xb2"), Str("hex")}) == Value("1AB2"));
  CHECK(Eval("TO_BYTES", {Str("1aB2"), Str("hex")}) == Value(Bytes{"\x1a\xb2"}));
  CHECK(Eval("FROM_BYTES", {Byt("!"), Str("base64")}) == Value("IQ=="));
  CHECK(Eval("TO_BYTES", {Str("IQ=="), Str("base64")}) == Value(Bytes{"!"}));
  CHECK(Eval("ENCODE", {Str("4578616d706C6521"), Str("hex"), Str("ascii")}) == Value("Example!"));
  CHECK(Eval("ENCODE", {Str("4578616d706C6521"), Str("hex"), Str("base64")}) == Value("RXhhbXBsZSE="));
  CHECK(Eval("ENCODE", {Str("0x578616d706C6521"), Str("hex"), Str("utf8")}) == Value("\x05xample!"));
  CHECK(Eval("ENCODE", {Str("578616d706C6521"), Str("hex"), Str("utf8")}).is_null());
  CHECK(Eval("ENCODE", {Str("X''"), Str("hex"), Str("utf8")}) == Value(""));
  CHECK(Eval("ENCODE", {Str("x'4578616d706C6521"), Str("hex"), Str("utf8")}).is_null());
  CHECK(Eval("ENCODE", {Str("c39c6265726d656e736368"), Str("hex"), Str("ascii")}) ==
        Value("\xEF\xBF\xBD\xEF\xBF\xBD" "bermensch"));
  CHECK(Eval("ENCODE", {Str("Example!"), Str("ascii"), Str("hex")}) == Value("4578616d706c6521"));
  CHECK(Eval("ENCODE", {Str("Ελλάδα"), Str("ascii"), Str("utf8")}) == Value("??????"));
  CHECK(Eval("ENCODE", {Str("RXhhbXBsZSE="), Str("base64"), Str("null")}).is_null());
  CHECK(Eval("INT_FROM_BYTES", {Byt(std::string("\x00\x00\x07\xe5", 4))}) == Value(int64_t{2021}));
  CHECK(Eval("INT_FROM_BYTES", {Byt(std::string("\xe5\x07\x00\x00", 4)), Str("LITTLE_ENDIAN")}) == Value(int64_t{2021}));
  CHECK(Eval("BIGINT_FROM_BYTES", {Byt(std::string("\x00\x00\x00\x01\x2a\x05\xf2\x00", 8))}) == Value(int64_t{5000000000}));
  CHECK(Eval("DOUBLE_FROM_BYTES", {Byt(std::string("\x40\x80\xa6\xfd\x9b\xc9\xf5\x82", 8))}) == Value(532.8738323));
  CHECK(Eval("INT_FROM_BYTES", {Byt("abc")}).is_null());
}

TEST_CASE("MD5") {
  CHECK(Eval("MD5", {Str("r1")}) == Value("7c92cf1eee8d99cc85f8355a3d6e4b86"));
  CHECK(Eval("MD5", {Str("")}) == Value("d41d8cd98f00b204e9800998ecf8427e"));
  CHECK(Eval("MD5", {Str("  ")}) == Value("23b58def11b45727d3351702515f86af"));
}

}  // TEST_SUITE

}  // namespace pipeline::sql::scalar::testing
