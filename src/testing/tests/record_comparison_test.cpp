#include "testing/record_comparison.h"

#include <doctest/doctest.h>

namespace pipeline::testing {
namespace {

sql::Emitted Emit(std::string topic, Value key, Value value, int64_t ts = 0) {
  Record r;
  r.key = std::move(key);
  r.value = std::move(value);
  r.timestamp = ts;
  return {std::move(topic), std::move(r)};
}

ExpectedRecord Expect(std::string topic, Value key, Value value) {
  ExpectedRecord e;
  e.topic = std::move(topic);
  e.key = std::move(key);
  e.value = std::move(value);
  return e;
}

}  // namespace

TEST_SUITE("testing") {
  TEST_CASE("JSON equality: numbers by value, objects by name in any order, strings exactly") {
    ComparisonOptions exact;
    CHECK(JsonValuesEqual(Value(1), Value(1.0), exact));
    CHECK_FALSE(JsonValuesEqual(Value(1), Value(1.0000001), exact));
    CHECK(JsonValuesEqual(Value(1), Value(1.0000001), ComparisonOptions{false, 1e-6}));
    CHECK(JsonValuesEqual(MakeStruct({{"A", 1}, {"B", "x"}}), MakeStruct({{"B", "x"}, {"A", 1.0}}), exact));
    CHECK_FALSE(JsonValuesEqual(MakeStruct({{"A", 1}}), MakeStruct({{"a", 1}}), exact));
    CHECK_FALSE(JsonValuesEqual(Value("1"), Value(1), exact));
    CHECK(JsonValuesEqual(MakeStruct({{"M", 1}}), Value(Map{{Value("M"), Value(1)}}), exact));
    CHECK(JsonValuesEqual(Value(Array{1, 2}), Value(Array{1.0, 2}), exact));
    CHECK_FALSE(JsonValuesEqual(Value(Array{1, 2}), Value(Array{2, 1}), exact));
  }
  TEST_CASE("an expected field is looked up under its name, then its upper-case form, as ksqlDB's comparator does") {
    ComparisonOptions exact;
    CHECK(JsonValuesEqual(MakeStruct({{"json_v", "1"}}), MakeStruct({{"JSON_V", "1"}}), exact));
    CHECK(JsonValuesEqual(MakeStruct({{"s", MakeStruct({{"x", 1}})}}), MakeStruct({{"S", MakeStruct({{"X", 1}})}}),
                          exact));
    CHECK(JsonValuesEqual(MakeStruct({{"a", 1}, {"A", 2}}), MakeStruct({{"a", 1}, {"A", 2}}), exact));
    CHECK_FALSE(JsonValuesEqual(MakeStruct({{"JSON_V", "1"}}), MakeStruct({{"json_v", "1"}}), exact));
    CHECK_FALSE(JsonValuesEqual(MakeStruct({{"json_v", "1"}}), MakeStruct({{"JSON_V", "1"}, {"B", 2}}), exact));
  }
  TEST_CASE("engine values compare in their JSON form") {
    ComparisonOptions exact;
    CHECK(JsonValuesEqual(Value(19000), NormalizeToJson(Value(Date{19000})), exact));
    CHECK(JsonValuesEqual(Value("IQ=="), NormalizeToJson(Value(Bytes{"!"})), exact));
    CHECK(JsonValuesEqual(Value(12.5), NormalizeToJson(Value(Decimal{125, 3, 1})), exact));
  }
  TEST_CASE("outputs compare per stream, names case-insensitive, timestamp only when expected") {
    std::vector<ExpectedRecord> expected{Expect("output", 1, MakeStruct({{"V", 1}})),
                                         Expect("OUTPUT", 2, MakeStruct({{"V", 2}}))};
    expected[1].timestamp = 7;
    std::vector<sql::Emitted> actual{Emit("OUTPUT", 1, MakeStruct({{"V", 1}}), 99), Emit("OTHER", 5, Value()),
                                     Emit("Output", 2, MakeStruct({{"V", 2}}), 7)};
    CHECK(CompareOutputs(expected, actual, {}, {}).matches);
    actual[2].record.timestamp = 8;
    auto differs = CompareOutputs(expected, actual, {}, {});
    CHECK_FALSE(differs.matches);
    CHECK(differs.first_difference.find("#2 timestamp: expected 7, got 8") != std::string::npos);
    CHECK(differs.diff.find("actual") != std::string::npos);
  }
  TEST_CASE("a checked stream with nothing expected must stay empty; missing records are reported") {
    std::vector<sql::Emitted> actual{Emit("OUT", 1, Value())};
    CHECK(CompareOutputs({}, actual, {}, {}).matches);
    auto extra = CompareOutputs({}, actual, {"out"}, {});
    CHECK_FALSE(extra.matches);
    CHECK(extra.diff.find("extra") != std::string::npos);
    auto missing = CompareOutputs({Expect("OUT", 1, Value()), Expect("OUT", 2, Value())}, actual, {}, {});
    CHECK_FALSE(missing.matches);
    CHECK(missing.first_difference.find("has 1 records, expected 2") != std::string::npos);
  }
}

}  // namespace pipeline::testing
