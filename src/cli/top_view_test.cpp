#include <doctest/doctest.h>

#include "cli/tap_command.h"
#include "cli/top_view.h"

using namespace pipeline::cli;

TEST_SUITE("cli.top") {
  TEST_CASE("a /metrics page becomes one row per component, with rates from two readings") {
    const char* before = R"(# HELP pipe_records_in_total Records received by a component
# TYPE pipe_records_in_total counter
pipe_records_in_total{component_kind="source",component="clicks"} 100
pipe_records_out_total{component_kind="source",component="clicks"} 100
pipe_records_in_total{component_kind="sink",component="out"} 90
pipe_records_out_total{component_kind="sink",component="out"} 90
)";
    const char* now = R"(pipe_records_in_total{component_kind="source",component="clicks"} 300
pipe_records_out_total{component_kind="source",component="clicks"} 250
pipe_records_failed_total{component_kind="source",component="clicks"} 50
pipe_queue_depth_batches{component_kind="source",component="clicks"} 0
pipe_checkpoint_age_seconds{component="clicks"} 2
pipe_kafka_consumer_lag{source="clicks",topic="t",partition="0"} 7
pipe_kafka_consumer_lag{source="clicks",topic="t",partition="1"} 3
pipe_records_in_total{component_kind="sink",component="out"} 290
pipe_records_out_total{component_kind="sink",component="out"} 290
pipe_queue_depth_batches{component_kind="sink",component="out"} 4
pipe_records_in_total{component_kind="transform",component="odd \"name\""} 1
pipe_sql_tasks 3
)";
    auto rows = ComponentRows(ParsePrometheusText(now), ParsePrometheusText(before), 2.0);
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].name == "clicks");
    CHECK(rows[0].in_rate == 100.0);
    CHECK(rows[0].out_rate == 75.0);
    CHECK(rows[0].errors == 50);
    CHECK(!rows[0].queue_depth);  // a source has no input queue
    CHECK(rows[0].checkpoint_age == 2.0);
    CHECK(rows[0].kafka_lag == 10.0);
    CHECK(rows[1].kind == "transform");
    CHECK(rows[1].name == "odd \"name\"");
    CHECK(rows[2].name == "out");
    CHECK(rows[2].queue_depth == 4.0);
    CHECK(rows[2].in_rate == 100.0);
    auto table = RenderTopTable(rows, 0);
    REQUIRE(table.size() == 4);
    CHECK(table[0].find("IN/S") != std::string::npos);
    CHECK(table[1].find("10 msgs") != std::string::npos);
    CHECK(RenderTopTable(rows, 20)[1].size() == 20);
  }

  TEST_CASE("without a second reading the rates are unknown, not zero") {
    auto rows = ComponentRows(
        ParsePrometheusText("pipe_records_in_total{component_kind=\"source\",component=\"a\"} 5\n"), {}, 0);
    REQUIRE(rows.size() == 1);
    CHECK(!rows[0].in_rate);
    CHECK(RenderTopTable(rows, 0)[1].find(" - ") != std::string::npos);
  }

  TEST_CASE("--sample: one in N, a fraction or a percentage") {
    CHECK(SampleOneIn("") == 1);
    CHECK(SampleOneIn("10") == 10);
    CHECK(SampleOneIn("0.1") == 10);
    CHECK(SampleOneIn("25%") == 4);
    CHECK(SampleOneIn("0") == 0);
    CHECK(SampleOneIn("2.5") == 0);
    CHECK(SampleOneIn("ten") == 0);
    CHECK(SampleOneIn("150%") == 0);
  }
}
