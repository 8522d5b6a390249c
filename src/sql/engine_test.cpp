#include <doctest/doctest.h>

#include "sql/engine.h"

using namespace pipeline;
using namespace pipeline::sql;

namespace {

Record Rec(Value key, Value value, int64_t ts) {
  Record r;
  r.key = std::move(key);
  r.value = std::move(value);
  r.timestamp = ts;
  return r;
}

}  // namespace

TEST_SUITE("sql.engine") {
  TEST_CASE("filter and project a stream") {
    Engine e;
    REQUIRE(e.Execute("CREATE STREAM s (id INT KEY, v INT, name STRING) WITH (kafka_topic='in', value_format='JSON');"
                      "CREATE STREAM out AS SELECT id, v * 2 AS dbl, UCASE(name) FROM s WHERE v > 1;").ok());
    CHECK(e.InputTopics() == std::vector<std::string>{"in"});
    REQUIRE(e.OutputTopics().size() == 1);
    CHECK(e.OutputTopics()[0].topic == "OUT");
    std::vector<Emitted> out;
    REQUIRE(e.Push("in", Rec(Value(1), MakeStruct({{"V", Value(1)}, {"NAME", Value("a")}}), 10), out).ok());
    REQUIRE(e.Push("in", Rec(Value(2), MakeStruct({{"v", Value(5)}, {"name", Value("b")}}), 20), out).ok());
    REQUIRE(out.size() == 1);
    CHECK(out[0].record.key == Value(2));
    CHECK(out[0].record.timestamp == 20);
    const Struct& s = out[0].record.value.as_struct();
    CHECK(s.name(0) == "DBL");
    CHECK(s.values[0] == Value(10));
    CHECK(s.name(1) == "KSQL_COL_0");
  }

  TEST_CASE("group by counts and windows") {
    Engine e;
    REQUIRE(e.Execute("CREATE STREAM s (k STRING KEY, v INT) WITH (kafka_topic='in', value_format='JSON');"
                      "CREATE TABLE t AS SELECT k, COUNT(*) AS c, SUM(v) AS total FROM s "
                      "WINDOW TUMBLING (SIZE 10 MILLISECONDS) GROUP BY k;").ok());
    std::vector<Emitted> out;
    REQUIRE(e.Push("in", Rec(Value("a"), MakeStruct({{"V", Value(1)}}), 1), out).ok());
    REQUIRE(e.Push("in", Rec(Value("a"), MakeStruct({{"V", Value(2)}}), 5), out).ok());
    REQUIRE(e.Push("in", Rec(Value("a"), MakeStruct({{"V", Value(4)}}), 12), out).ok());
    REQUIRE(out.size() == 3);
    CHECK(out[1].record.value.as_struct().values[0] == Value(2));
    CHECK(out[1].record.value.as_struct().values[1] == Value(3));
    REQUIRE(out[2].record.window.has_value());
    CHECK(out[2].record.window->start == 10);
    CHECK(out[2].record.window->end == 20);
  }

  TEST_CASE("stream-table join") {
    Engine e;
    REQUIRE(e.Execute("CREATE STREAM s (id INT KEY, v INT) WITH (kafka_topic='s', value_format='JSON');"
                      "CREATE TABLE t (id INT PRIMARY KEY, name STRING) WITH (kafka_topic='t', value_format='JSON');"
                      "CREATE STREAM j AS SELECT s.id, v, name FROM s LEFT JOIN t ON s.id = t.id;").ok());
    std::vector<Emitted> out;
    REQUIRE(e.Push("t", Rec(Value(1), MakeStruct({{"NAME", Value("one")}}), 1), out).ok());
    REQUIRE(e.Push("s", Rec(Value(1), MakeStruct({{"V", Value(7)}}), 2), out).ok());
    REQUIRE(e.Push("s", Rec(Value(2), MakeStruct({{"V", Value(8)}}), 3), out).ok());
    REQUIRE(out.size() == 2);
    CHECK(out[0].record.value.as_struct().values[1] == Value("one"));
    CHECK(out[1].record.value.as_struct().values[1].is_null());
  }

  TEST_CASE("errors are located and bad records do not stop the query") {
    Engine e;
    Status s = e.Execute("CREATE STREAM s (id INT KEY, v INT) WITH (kafka_topic='in', value_format='JSON');\n"
                         "CREATE STREAM o AS SELECT id, vv FROM s;");
    REQUIRE(!s.ok());
    CHECK(s.message().find("2:") == 0);
    CHECK(s.message().find("Did you mean 'V'") != std::string::npos);
    REQUIRE(e.Execute("CREATE STREAM o AS SELECT id, v / 0 AS d FROM s;").ok());
    std::vector<Emitted> out;
    REQUIRE(e.Push("in", Rec(Value(1), MakeStruct({{"V", Value("not a number")}}), 1), out).ok());
    REQUIRE(e.Push("in", Rec(Value(1), MakeStruct({{"V", Value(3)}}), 1), out).ok());
    REQUIRE(out.size() == 1);
    CHECK(out[0].record.value.as_struct().values[0].is_null());
    CHECK(e.processing_errors().size() == 2);
  }
}
