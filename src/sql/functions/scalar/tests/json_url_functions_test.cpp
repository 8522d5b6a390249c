#include <doctest/doctest.h>

#include "sql/functions/scalar/tests/call.h"

namespace pipeline::sql::scalar::testing {

TEST_SUITE("sql.functions.json") {

TEST_CASE("EXTRACTJSONFIELD") {
  std::string doc = R"({"name": "cdc", "version": "1", "@type": "UDF", "log": {"cloud": "gcp", "n": 4, "a": [1, {"x": true}]}})";
  CHECK(Eval("EXTRACTJSONFIELD", {Str(doc), Str("$.name")}) == Value("cdc"));
  CHECK(Eval("EXTRACTJSONFIELD", {Str(doc), Str("$.@type")}) == Value("UDF"));
  CHECK(Eval("EXTRACTJSONFIELD", {Str(doc), Str("$.log.cloud")}) == Value("gcp"));
  CHECK(Eval("EXTRACTJSONFIELD", {Str(doc), Str("$.log.n")}) == Value("4"));
  CHECK(Eval("EXTRACTJSONFIELD", {Str(doc), Str("$.log.a[1]")}) == Value(R"({"x":true})"));
  CHECK(Eval("EXTRACTJSONFIELD", {Str(doc), Str("$['log']['cloud']")}) == Value("gcp"));
  CHECK(Eval("EXTRACTJSONFIELD", {Str(doc), Str("$.missing")}).is_null());
  CHECK(Eval("EXTRACTJSONFIELD", {Str("not json"), Str("$.a")}).is_null());
  // Like Jackson, text after the first JSON value is ignored.
  CHECK(Eval("EXTRACTJSONFIELD", {Str(R"({"name": "cdd", "s": "}"}})"), Str("$.name")}) == Value("cdd"));
}

TEST_CASE("JSON_CONCAT follows PostgreSQL's ||") {
  auto concat = [](std::vector<std::string> docs) {
    std::vector<Arg> args;
    for (auto& d : docs) args.push_back(Str(d));
    return Eval("JSON_CONCAT", args);
  };
  CHECK(concat({R"({"a": 1})", R"({"b": 2})"}) == Value(R"({"a":1,"b":2})"));
  CHECK(concat({R"({"a": {"5": 6}})", R"({"a": {"3": 4}})"}) == Value(R"({"a":{"3":4}})"));
  CHECK(concat({"{}", "{}"}) == Value("{}"));
  CHECK(concat({"[1, [2]]", "[[[3]], [[[4]]]]"}) == Value("[1,[2],[[3]],[[[4]]]]"));
  CHECK(concat({"null", "null"}) == Value("[null,null]"));
  CHECK(concat({"[1, 2]", R"({"a": 1})", "4"}) == Value(R"([1,2,{"a":1},4])"));
  CHECK(concat({"1", ""}).is_null());
  CHECK(Eval("JSON_CONCAT", {Str("[1]"), Null(TypeId::kString)}).is_null());
}

TEST_CASE("keys, records, items, length, validity") {
  CHECK(Eval("JSON_KEYS", {Str(R"({"a": "abc", "b": {"c": "a"}, "d": 1})")}) ==
        Value(Array{Value("a"), Value("b"), Value("d")}));
  CHECK(Eval("JSON_KEYS", {Str("[]")}).is_null());
  CHECK(Eval("JSON_RECORDS", {Str(R"({"Red": 3, "White": "Seven", "o": {"c": "a"}})")}) ==
        Value(Map{{Value("Red"), Value("3")}, {Value("White"), Value("Seven")}, {Value("o"), Value(R"({"c":"a"})")}}));
  CHECK(Eval("JSON_ITEMS", {Str(R"([{"type": "A"}, "x", 1])")}) ==
        Value(Array{Value(R"({"type":"A"})"), Value(R"("x")"), Value("1")}));
  CHECK(Eval("JSON_ARRAY_LENGTH", {Str("[1, [1, [2]], 3]")}) == Value(int64_t{3}));
  CHECK(Eval("JSON_ARRAY_LENGTH", {Str("{}")}).is_null());
  CHECK(Eval("IS_JSON_STRING", {Str("\"abc\"")}) == Value(true));
  CHECK(Eval("IS_JSON_STRING", {Str("abc")}) == Value(false));
  CHECK(Eval("IS_JSON_STRING", {Str("")}) == Value(false));
  CHECK(Eval("IS_JSON_STRING", {Null(TypeId::kString)}) == Value(false));
  CHECK(Eval("JSON_ARRAY_CONTAINS", {Str("[1, 2, 3]"), Int(3)}) == Value(true));
  CHECK(Eval("JSON_ARRAY_CONTAINS", {Str("[\"a\"]"), Str("b")}) == Value(false));
}

TEST_CASE("TO_JSON_STRING") {
  CHECK(Eval("TO_JSON_STRING", {Str("abc")}) == Value("\"abc\""));
  CHECK(Eval("TO_JSON_STRING", {Null(TypeId::kString)}) == Value("null"));
  CHECK(Eval("TO_JSON_STRING", {Dbl(123.456)}) == Value("123.456"));
  CHECK(Eval("TO_JSON_STRING", {Byt("!")}) == Value("\"IQ==\""));
  CHECK(Eval("TO_JSON_STRING", {Typed(Value(Time{60220000}), SqlType::Of(TypeId::kTime))}) == Value("\"16:43:40\""));
  CHECK(Eval("TO_JSON_STRING", {Typed(Value(Timestamp{60220000000}), SqlType::Of(TypeId::kTimestamp))}) ==
        Value("\"1971-11-28T23:46:40.000\""));
  CHECK(Eval("TO_JSON_STRING", {Typed(MakeStruct({{"ID", Value(1)}, {"NAME", Value("Alice")}}),
                                      SqlType::Struct({}))}) == Value(R"({"ID":1,"NAME":"Alice"})"));
}

}  // TEST_SUITE

TEST_SUITE("sql.functions.url") {

TEST_CASE("encode and decode parameters") {
  CHECK(Eval("URL_ENCODE_PARAM", {Str("?foo $bar")}) == Value("%3Ffoo+%24bar"));
  CHECK(Eval("URL_ENCODE_PARAM", {Str("hello&world")}) == Value("hello%26world"));
  CHECK(Eval("URL_DECODE_PARAM", {Str("%3Ffoo+%24bar")}) == Value("?foo $bar"));
}

TEST_CASE("extract URL parts") {
  CHECK(Eval("URL_EXTRACT_FRAGMENT", {Str("http://www.test.com/?query#fragment")}) == Value("fragment"));
  CHECK(Eval("URL_EXTRACT_FRAGMENT", {Str("http://www.nofragment.com")}).is_null());
  CHECK(Eval("URL_EXTRACT_HOST", {Str("http://test@confluent.io:8080")}) == Value("confluent.io"));
  CHECK(Eval("URL_EXTRACT_PORT", {Str("http://test@confluent.io:8080/nested/path?query&jobs")}) == Value(int64_t{8080}));
  CHECK(Eval("URL_EXTRACT_PORT", {Str("http://test@confluent.io")}).is_null());
  CHECK(Eval("URL_EXTRACT_PROTOCOL", {Str("https://test@confluent.io:8080/nested/path?query&jobs")}) == Value("https"));
  CHECK(Eval("URL_EXTRACT_PROTOCOL", {Str("www.confluent.io")}).is_null());
  CHECK(Eval("URL_EXTRACT_QUERY", {Str("http://www.test.com?query#fragment")}) == Value("query"));
  CHECK(Eval("URL_EXTRACT_QUERY", {Str("http://test.com?a=foo%20bar&b=baz")}) == Value("a=foo bar&b=baz"));
  CHECK(Eval("URL_EXTRACT_QUERY", {Str("http://test@confluent.io:8080/path")}).is_null());
  CHECK(Eval("URL_EXTRACT_PATH", {Str("http://test.com/path/to#a")}) == Value("/path/to"));
  CHECK(Eval("URL_EXTRACT_PARAMETER", {Str("http://test.com?a%20b=c%20d"), Str("a b")}) == Value("c d"));
  CHECK(Eval("URL_EXTRACT_PARAMETER", {Str("http://test.com?a=foo&b=bar"), Str("b")}) == Value("bar"));
  CHECK(Eval("URL_EXTRACT_HOST", {Str("http://bad host")}).is_null());
}

}  // TEST_SUITE

}  // namespace pipeline::sql::scalar::testing
