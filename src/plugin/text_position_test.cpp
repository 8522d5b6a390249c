#include <doctest/doctest.h>

#include "plugin/text_position.h"

using namespace pipeline;

namespace {

// The `sql` value of the first transform in `text`, and where "line:col: boom" about it lands in the file.
std::string Placed(const std::string& text, const std::string& message) {
  YAML::Node root = YAML::Load(text);
  auto placed = PositionInFile(root["t"]["sql"], "p.yaml", text, message);
  return placed ? placed->at.ToString() + ": " + placed->message : "not placed";
}

}  // namespace

TEST_SUITE("plugin") {
  TEST_CASE("a position inside a block scalar lands on the file's line, after the block's indentation") {
    const std::string text =
        "t:\n"
        "  sql: |\n"
        "    CREATE STREAM s (a INT) WITH (KAFKA_TOPIC='s');\n"
        "\n"
        "    SELECT COUNTT(*) FROM s;\n";
    CHECK(Placed(text, "1:8: boom") == "p.yaml:3:12: boom");
    CHECK(Placed(text, "3:12: unknown function COUNTT") == "p.yaml:5:16: unknown function COUNTT");
    CHECK(Placed(text, "3:12: 3:12: said twice") == "p.yaml:5:16: said twice");
    CHECK(Placed(text, "9:1: past the end") == "not placed");
    CHECK(Placed(text, "no position") == "not placed");
  }
  TEST_CASE("a position inside a quoted or plain one-line scalar lands after the value's start") {
    CHECK(Placed("t:\n  sql: \"SELECT x FROM s\"\n", "1:8: boom") == "p.yaml:2:16: boom");
    CHECK(Placed("t:\n  sql: SELECT x FROM s\n", "1:8: boom") == "p.yaml:2:15: boom");
    CHECK(Placed("t: {sql: 'SELECT x'}\n", "1:8: boom") == "p.yaml:1:18: boom");
  }
}
