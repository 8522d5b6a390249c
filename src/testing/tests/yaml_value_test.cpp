#include "testing/yaml_value.h"

#include <doctest/doctest.h>

namespace pipeline::testing {

TEST_SUITE("testing") {
  TEST_CASE("plain YAML scalars get core-schema types, quoted ones stay strings") {
    YAML::Node n = YAML::Load("{i: 42, neg: -7, d: 1.5, e: 1e3, b: true, n: null, t: ~, s: Platinum, q: '42'}");
    Value v = YamlToValue(n);
    REQUIRE(v.is_struct());
    CHECK(v.Field("i")->is_int());
    CHECK(v.Field("i")->as_int() == 42);
    CHECK(v.Field("neg")->as_int() == -7);
    CHECK(v.Field("d")->as_double() == 1.5);
    CHECK(v.Field("e")->as_double() == 1000.0);
    CHECK(v.Field("b")->as_bool());
    CHECK(v.Field("n")->is_null());
    CHECK(v.Field("t")->is_null());
    CHECK(v.Field("s")->as_string() == "Platinum");
    CHECK(v.Field("q")->is_string());
    CHECK(v.Field("q")->as_string() == "42");
  }
  TEST_CASE("YAML mappings keep field order and sequences become arrays") {
    Value v = YamlToValue(YAML::Load("{B: 1, A: [x, 2]}"));
    REQUIRE(v.is_struct());
    CHECK(v.as_struct().name(0) == "B");
    CHECK(v.as_struct().name(1) == "A");
    const Value* a = v.Field("A");
    REQUIRE(a->is_array());
    CHECK(a->as_array()[0].as_string() == "x");
    CHECK(a->as_array()[1].as_int() == 2);
  }
}

}  // namespace pipeline::testing
