// RegexRouter, TimestampRouter, HeaderFrom, InsertHeader, DropHeaders.
#include <doctest/doctest.h>

#include "transforms/tests/transform_test_support.h"

namespace pipeline {
using namespace pipeline::testing;

TEST_SUITE("transforms.routing_and_headers") {
  TEST_CASE("RegexRouter rewrites whole-name matches with Java group syntax") {
    auto t = BuildTransform("type: RegexRouter\nregex: \"(\\\\w+)-(raw|tmp)\"\nreplacement: \"$1_clean-$2\"\n");
    CHECK(Applied(*t, RecordOf(Value(1), "orders-raw")).topic == "orders_clean-raw");
    CHECK(Applied(*t, RecordOf(Value(1), "x.orders-raw")).topic == "x.orders-raw");
    auto named = BuildTransform("type: RegexRouter\nregex: \"db\\\\.(?P<table>.*)\"\nreplacement: \"${table}\\\\$\"\n");
    CHECK(Applied(*named, RecordOf(Value(1), "db.users")).topic == "users$");
    auto all = BuildTransform("type: RegexRouter\nregex: \".*\"\nreplacement: fixed\n");
    CHECK(Applied(*all, RecordOf(Value(1), "anything")).topic == "fixed");
    CHECK_FALSE(TryBuildTransform("type: RegexRouter\nregex: \"(a)\"\nreplacement: \"$2\"\n").ok());
    CHECK_FALSE(TryBuildTransform("type: RegexRouter\nregex: \"(\"\nreplacement: x\n").ok());
  }

  TEST_CASE("TimestampRouter formats topic and timestamp") {
    auto t = BuildTransform("type: TimestampRouter\n");
    Record r = RecordOf(Value(1), "logs");
    r.timestamp = 1700000000000;
    CHECK(Applied(*t, r).topic == "logs-20231114");
    auto custom = BuildTransform(
        "type: TimestampRouter\ntopic.format: \"idx_${timestamp}_${topic}\"\n"
        "timestamp.format: yyyy.MM\n");
    CHECK(Applied(*custom, r).topic == "idx_2023.11_logs");
    auto braces = BuildTransform("type: TimestampRouter\ntopic.format: \"{topic}/{timestamp}$x{\"\n");
    CHECK(Applied(*braces, r).topic == "logs/20231114$x{");
  }

  TEST_CASE("HeaderFrom copy and move") {
    Value v = MakeStruct({{"id", 7}, {"trace", "abc"}, {"meta", MakeStruct({{"a", 1}})}});
    auto copy = BuildTransform(
        "type: HeaderFrom\nfields: [trace, id, meta, nope]\nheaders: [t, i, m, n]\n"
        "operation: copy\n");
    Record out = Applied(*copy, RecordOf(v));
    CHECK(out.value == v);
    REQUIRE(out.headers.size() == 4);
    CHECK(out.headers[0] == Header{"t", "abc"});
    CHECK(out.headers[1] == Header{"i", "7"});
    CHECK(out.headers[2] == Header{"m", "{\"a\":1}"});
    CHECK(out.headers[3] == Header{"n", std::nullopt});

    auto move = BuildTransform("type: HeaderFrom\nfields: trace\nheaders: x-trace\noperation: move\n");
    out = Applied(*move, RecordOf(v));
    CHECK(NamesOf(out.value) == "id,meta");
    CHECK(*out.FindHeader("x-trace") == "abc");
    CHECK_FALSE(TryBuildTransform("type: HeaderFrom\nfields: [a, b]\nheaders: [x]\noperation: copy\n").ok());
  }

  TEST_CASE("InsertHeader adds, DropHeaders removes every header of a key") {
    auto ins = BuildTransform("type: InsertHeader\nheader: src\nvalue.literal: pipe\n");
    Record r = RecordOf(Value(1));
    r.headers = {{"src", "old"}, {"keep", "1"}};
    Record out = Applied(*ins, r);
    CHECK(out.headers.size() == 3);
    CHECK(*out.FindHeader("src") == "pipe");
    auto drop = BuildTransform("type: DropHeaders\nheaders: [src, nope]\n");
    out = Applied(*drop, out);
    REQUIRE(out.headers.size() == 1);
    CHECK(out.headers[0].key == "keep");
  }
}

}  // namespace pipeline
