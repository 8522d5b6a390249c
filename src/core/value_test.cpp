#include <doctest/doctest.h>

#include "core/value.h"

using namespace pipeline;

TEST_SUITE("core.value") {
  TEST_CASE("numbers compare by value across kinds") {
    CHECK(Value(int64_t{1}) == Value(1.0));
    CHECK(Value(Decimal{150, 3, 2}) == Value(1.5));
    CHECK(Value(Decimal{150, 3, 2}) == Value(Decimal{15, 2, 1}));
    CHECK(Value("1") != Value(int64_t{1}));
  }
  TEST_CASE("decimal text keeps its scale") {
    CHECK(Decimal{-5, 3, 2}.ToString() == "-0.05");
    CHECK(Decimal{12345, 5, 2}.ToString() == "123.45");
    CHECK(Decimal{7, 1, 0}.ToString() == "7");
  }
  TEST_CASE("struct fields by name") {
    Value v = MakeStruct({{"a", 1}, {"b", "x"}});
    REQUIRE(v.Field("b") != nullptr);
    CHECK(v.Field("b")->as_string() == "x");
    CHECK(v.Field("c") == nullptr);
    CHECK(v.ToString() == R"({"a":1,"b":"x"})");
  }
}
