// WITH (TIMESTAMP=..., TIMESTAMP_FORMAT=...) on a created stream: the record time comes from the column, as
// ksqlDB's sink sets it; a value that gives no valid time drops the row with a processing error.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "sql/engine.h"

using namespace pipeline;
using namespace pipeline::sql;

namespace {

std::string Times(const char* statements, const std::vector<Value>& column_values) {
  Engine e;
  REQUIRE(e.Execute(statements).ok());
  std::vector<Emitted> out;
  for (const Value& v : column_values) {
    Record r;
    r.value = MakeStruct({{"T", v}});
    r.timestamp = 10;
    REQUIRE(e.Push("in", r, out).ok());
  }
  std::string text;
  for (const auto& o : out) text += std::to_string(o.record.timestamp) + " ";
  return text;
}

}  // namespace

TEST_CASE("a sink's TIMESTAMP column sets the record time; a negative one drops the row, NULL keeps the row's") {
  const char* sql = "CREATE STREAM s (t BIGINT) WITH (kafka_topic='in', value_format='JSON');"
                    "CREATE STREAM o WITH (TIMESTAMP='t') AS SELECT t FROM s;";
  CHECK(Times(sql, {Value(int64_t{1}), Value(int64_t{-2}), Value(), Value(int64_t{3})}) == "1 10 3 ");
}

TEST_CASE("a sink's string TIMESTAMP column is parsed with its TIMESTAMP_FORMAT; text that does not parse drops the row") {
  const char* sql = "CREATE STREAM s (t STRING) WITH (kafka_topic='in', value_format='JSON');"
                    "CREATE STREAM o WITH (TIMESTAMP='t', TIMESTAMP_FORMAT='yyyy-MM-dd''T''HH:mm:ssX') AS SELECT t FROM s;";
  CHECK(Times(sql, {Value("2018-05-11T21:58:33Z"), Value("not a timestamp"), Value("2019-05-11T21:58:33Z")}) ==
        "1526075913000 1557611913000 ");
}
