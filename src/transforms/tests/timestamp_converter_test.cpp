#include <doctest/doctest.h>

#include "transforms/tests/transform_test_support.h"

namespace pipeline {
using namespace pipeline::testing;

TEST_SUITE("transforms.timestamp_converter") {
  TEST_CASE("string field to Timestamp, unix and back") {
    auto t = BuildTransform(
        "type: TimestampConverter\nfield: ts\ntarget.type: Timestamp\n"
        "format: \"yyyy-MM-dd HH:mm:ss\"\n");
    Record out = Applied(*t, RecordOf(MakeStruct({{"id", 1}, {"ts", "2023-11-14 22:13:20"}})));
    CHECK(*out.value.Field("ts") == Value(Timestamp{1700000000000}));

    auto unix_s = BuildTransform("type: TimestampConverter\nfield: ts\ntarget.type: unix\nunix.precision: seconds\n");
    CHECK(*Applied(*unix_s, out).value.Field("ts") == Value(int64_t{1700000000}));

    auto str = BuildTransform(
        "type: TimestampConverter\nfield: ts\ntarget.type: string\nformat: yyyy-MM-dd\n"
        "unix.precision: microseconds\n");
    Record micros = RecordOf(MakeStruct({{"ts", int64_t{1700000000000000}}}));
    CHECK(*Applied(*str, micros).value.Field("ts") == Value("2023-11-14"));
  }

  TEST_CASE("Date and Time targets; whole value; nulls pass") {
    auto d = BuildTransform("type: TimestampConverter\ntarget.type: Date\n");
    CHECK(Applied(*d, RecordOf(Value(Timestamp{86'400'000 * 3 + 5}))).value == Value(Date{3}));
    auto tm = BuildTransform("type: TimestampConverter\ntarget.type: Time\n");
    CHECK(Applied(*tm, RecordOf(Value(int64_t{86'400'000 + 1234}))).value == Value(Time{1234}));
    CHECK(Applied(*tm, RecordOf(Value())).value.is_null());
    auto key = BuildTransform("type: TimestampConverter$Key\ntarget.type: Timestamp\n");
    Record r = RecordOf(Value(1));
    r.key = Value(Date{1});
    CHECK(Applied(*key, r).key == Value(Timestamp{86'400'000}));
  }

  TEST_CASE("errors") {
    CHECK_FALSE(TryBuildTransform("type: TimestampConverter\ntarget.type: string\n").ok());
    CHECK_FALSE(TryBuildTransform("type: TimestampConverter\ntarget.type: date\n").ok());
    auto t = BuildTransform("type: TimestampConverter\nfield: ts\ntarget.type: unix\nformat: yyyy-MM-dd\n");
    Record bad = RecordOf(MakeStruct({{"ts", "14/11/2023"}}));
    auto failed = t->Apply(bad);
    REQUIRE_FALSE(failed.ok());
    CHECK(failed.error().kind() == ErrorKind::kData);
    CHECK(failed.error().message().find("TimestampConverter: field 'ts'") != std::string::npos);
    Record no_format = RecordOf(MakeStruct({{"ts", "2023"}}));
    auto u = BuildTransform("type: TimestampConverter\nfield: ts\ntarget.type: unix\n");
    CHECK_FALSE(u->Apply(no_format).ok());
  }
}

}  // namespace pipeline
