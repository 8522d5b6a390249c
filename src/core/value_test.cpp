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

#include "core/value_codec.h"

namespace {

// Equal and of the same kind all the way down (Value's == treats 1 and 1.0 as equal).
bool Identical(const Value& a, const Value& b) {
  if (a.kind() != b.kind() || !(a == b)) return false;
  if (a.is_array()) {
    for (size_t i = 0; i < a.as_array().size(); ++i)
      if (!Identical(a.as_array()[i], b.as_array()[i])) return false;
  }
  if (a.is_struct()) {
    for (size_t i = 0; i < a.as_struct().size(); ++i)
      if (a.as_struct().name(i) != b.as_struct().name(i) || !Identical(a.as_struct().values[i], b.as_struct().values[i]))
        return false;
  }
  if (a.is_decimal()) return a.as_decimal().scale == b.as_decimal().scale && a.as_decimal().precision == b.as_decimal().precision;
  return true;
}

}  // namespace

TEST_SUITE("core.value_codec") {
  TEST_CASE("every kind survives encode and decode unchanged") {
    Value all(Array{Value(), Value(true), Value(int64_t{-5}), Value(int64_t{INT64_MIN}), Value(2.5), Value(Decimal{-12345, 7, 3}),
                    Value(std::string("text\0with nul", 13)), Value(Bytes{std::string("\x00\xff", 2)}), Value(Date{-3}), Value(Time{86399999}),
                    Value(Timestamp{1767225600000}), Value(Map{{Value("k"), Value(int64_t{1})}, {Value(int64_t{2}), Value()}}),
                    MakeStruct({{"A", Value(int64_t{1})}, {"b", Value(Array{Value(1.0)})}})});
    std::string bytes;
    EncodeValue(all, bytes);
    EncodeValue(Value(int64_t{7}), bytes);
    std::string_view in = bytes;
    auto first = DecodeValue(in);
    REQUIRE(first.ok());
    CHECK(Identical(*first, all));
    auto second = DecodeValue(in);
    REQUIRE(second.ok());
    CHECK(Identical(*second, Value(int64_t{7})));
    CHECK(in.empty());
  }

  TEST_CASE("truncated input is an error, not a crash") {
    std::string bytes;
    EncodeValue(MakeStruct({{"name", Value("a long enough string")}, {"n", Value(int64_t{300})}}), bytes);
    for (size_t cut = 0; cut < bytes.size(); ++cut) {
      std::string_view in(bytes.data(), cut);
      CHECK_FALSE(DecodeValue(in).ok());
    }
  }
}
