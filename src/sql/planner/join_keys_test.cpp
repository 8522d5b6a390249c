// Which column is the key after a join, as ksqlDB names it: a FULL OUTER join's key is the synthetic ROWKEY (either
// side's column may be NULL), and PARTITION BY after a join keeps both sides' columns of one name.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "sql/engine.h"
#include "sql/engine_test_records.h"

using namespace pipeline;
using namespace pipeline::sql;
using pipeline::sql::testing::Rec;

namespace {

std::string Show(const std::vector<Emitted>& out) {
  std::string text;
  for (const auto& e : out) text += e.record.key.ToString() + " " + e.record.value.ToString() + "\n";
  return text;
}

const char* kStreams = "CREATE STREAM l (k STRING KEY, a STRING, b STRING) WITH (kafka_topic='l', value_format='JSON');"
                       "CREATE STREAM r (k STRING KEY, c STRING, d STRING) WITH (kafka_topic='r', value_format='JSON');";

}  // namespace

TEST_CASE("a FULL OUTER join is keyed by ROWKEY and keeps both join columns as values") {
  Engine e;
  REQUIRE(e.Execute(std::string(kStreams) + "CREATE STREAM o AS SELECT ROWKEY AS id, l.k, r.k, a, c FROM l "
                                            "FULL OUTER JOIN r WITHIN 10 SECONDS ON l.k = r.k;").ok());
  std::vector<Emitted> out;
  REQUIRE(e.Push("r", Rec(Value("x"), MakeStruct({{"C", Value("c1")}, {"D", Value("d1")}}), 0), out).ok());
  REQUIRE(e.Push("l", Rec(Value("x"), MakeStruct({{"A", Value("a1")}, {"B", Value("b1")}}), 1), out).ok());
  CHECK(Show(out) ==
        "x {\"L_K\":null,\"R_K\":\"x\",\"A\":null,\"C\":\"c1\"}\n"
        "x {\"L_K\":\"x\",\"R_K\":\"x\",\"A\":\"a1\",\"C\":\"c1\"}\n");
}

TEST_CASE("PARTITION BY after a join on values keeps each side's key column") {
  Engine e;
  REQUIRE(e.Execute(std::string(kStreams) + "CREATE STREAM o AS SELECT l.b, l.k, r.k FROM l JOIN r WITHIN 10 SECONDS "
                                            "ON l.b = r.d PARTITION BY l.b;").ok());
  std::vector<Emitted> out;
  REQUIRE(e.Push("l", Rec(Value("a"), MakeStruct({{"A", Value("a")}, {"B", Value("join")}}), 0), out).ok());
  REQUIRE(e.Push("r", Rec(Value("c"), MakeStruct({{"C", Value("c")}, {"D", Value("join")}}), 0), out).ok());
  CHECK(Show(out) == "join {\"L_K\":\"a\",\"R_K\":\"c\"}\n");
}
