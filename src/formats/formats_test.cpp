#include <doctest/doctest.h>

#include "formats/format.h"
#include "formats/json.h"

using namespace pipeline;

TEST_SUITE("formats") {
  TEST_CASE("json round trip keeps types and order") {
    auto v = ParseJson(R"({"b":1,"a":[true,null,2.5],"s":"q\"\n","o":{"x":-3}})");
    REQUIRE(v.ok());
    CHECK(ToJson(*v) == R"({"b":1,"a":[true,null,2.5],"s":"q\"\n","o":{"x":-3}})");
    CHECK(ToJson(Value(2.0)) == "2.0");
  }
  TEST_CASE("records of one shape share field names") {
    JsonReader reader;
    auto a = reader.Parse(R"({"x":1,"y":2})");
    auto b = reader.Parse(R"({"x":3,"y":4})");
    REQUIRE((a.ok() && b.ok()));
    CHECK(a->as_struct().names.get() == b->as_struct().names.get());
  }
  TEST_CASE("invalid json is a data error") {
    auto v = ParseJson("{nope");
    REQUIRE_FALSE(v.ok());
    CHECK(v.error().kind() == ErrorKind::kData);
  }
  TEST_CASE("csv header then typed cells, quoted fields") {
    auto dec = MakeDecoder("csv");
    REQUIRE(dec.ok());
    Record r;
    CHECK((*dec)->ExpectsHeader());
    REQUIRE((*dec)->Decode("id,name,score,ok", r).ok());
    REQUIRE((*dec)->Decode("7,\"a, \"\"b\"\"\",1.5,true", r).ok());
    CHECK(ToJson(r.value) == R"({"id":7,"name":"a, \"b\"","score":1.5,"ok":true})");
    CHECK_FALSE((*dec)->Decode("1,2", r).ok());
    auto enc = MakeEncoder("csv");
    REQUIRE(enc.ok());
    std::string out;
    (*enc)->Encode(r, out);
    CHECK(out == "7,\"a, \"\"b\"\"\",1.5,true");
  }
  TEST_CASE("lines put the text into message") {
    auto dec = MakeDecoder("lines");
    Record r;
    REQUIRE((*dec)->Decode("hello world\r", r).ok());
    CHECK(r.value.Field("message")->as_string() == "hello world");
  }
  TEST_CASE("unknown format names the choices") {
    auto dec = MakeDecoder("xml");
    REQUIRE_FALSE(dec.ok());
    CHECK(dec.error().message().find("json, csv, lines") != std::string::npos);
  }
}
