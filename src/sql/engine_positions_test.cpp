// What the engine tells its caller about each input record: the position every output it caused carries, and
// the records a query dropped because of an error (the stage's on_error acts on them).
#include <doctest/doctest.h>

#include <vector>

#include "sql/engine.h"
#include "sql/engine_test_records.h"

using namespace pipeline;
using namespace pipeline::sql;
using pipeline::sql::testing::Rec;

namespace {

pipeline::Position At(int64_t offset) { return pipeline::Position{Lanes::Intern("in/0"), offset, 0}; }

Record Positioned(Record r, int64_t offset) {
  r.position = At(offset);
  return r;
}

std::vector<int64_t> OffsetsOf(const std::vector<Emitted>& out) {
  std::vector<int64_t> offsets;
  for (const Emitted& e : out) offsets.push_back(e.record.position.valid() ? e.record.position.major : -1);
  return offsets;
}

std::vector<Record> Clicks(const std::vector<std::pair<const char*, int64_t>>& user_and_time) {
  std::vector<Record> records;
  for (const auto& [user, ts] : user_and_time)
    records.push_back(Positioned(Rec(Value(user), MakeStruct({{"V", Value(1)}}), ts), 100 + ts));
  return records;
}

}  // namespace

TEST_SUITE("sql engine: positions and dropped inputs") {
  TEST_CASE("an aggregate's update carries the position of the input record that caused it") {
    Engine g;
    REQUIRE(g.Execute("CREATE STREAM s (k STRING KEY, v INT) WITH (kafka_topic='in', value_format='JSON');"
                      "CREATE TABLE t AS SELECT k, COUNT(*) AS c FROM s GROUP BY k;"
                      "CREATE TABLE big AS SELECT k, c FROM t WHERE c > 1;").ok());
    std::vector<Record> in = Clicks({{"a", 1}, {"b", 2}, {"a", 3}});
    std::vector<Emitted> out;
    REQUIRE(g.PushAll("in", in, out).ok());
    // t: a (101), b (102), a (103); big, chained to t, after each.
    REQUIRE(out.size() == 6);
    // big also says "not here" (a tombstone) for a and b while their count is 1, as a Kafka Streams table filter
    // does; each of those carries its cause's position too.
    CHECK(OffsetsOf(out) == std::vector<int64_t>{101, 101, 102, 102, 103, 103});
    CHECK(out[5].topic == "BIG");
    CHECK(out[5].record.value.as_struct().values[0] == Value(2));
  }

  TEST_CASE("EMIT FINAL: a window closed by a record's time carries that record's position") {
    Engine e;
    REQUIRE(e.Execute("CREATE STREAM s (k STRING KEY, v INT) WITH (kafka_topic='in', value_format='JSON');"
                      "CREATE TABLE t AS SELECT k, COUNT(*) AS c FROM s "
                      "WINDOW TUMBLING (SIZE 10 MILLISECONDS, GRACE PERIOD 0 MILLISECONDS) GROUP BY k EMIT FINAL;")
                .ok());
    std::vector<Emitted> out;
    std::vector<Record> in = Clicks({{"a", 1}, {"a", 5}, {"b", 30}});
    REQUIRE(e.PushAll("in", in, out).ok());
    REQUIRE(out.size() == 1);  // [0, 10) of a, closed when b's record moved stream time to 30
    CHECK(out[0].record.value.as_struct().values[0] == Value(2));
    CHECK(out[0].record.position == At(130));
  }

  TEST_CASE("a table-table join's result carries the triggering side's record") {
    Engine e;
    REQUIRE(e.Execute("CREATE TABLE l (id INT PRIMARY KEY, a STRING) WITH (kafka_topic='l', value_format='JSON');"
                      "CREATE TABLE r (id INT PRIMARY KEY, b STRING) WITH (kafka_topic='r', value_format='JSON');"
                      "CREATE TABLE j AS SELECT l.id AS id, a, b FROM l JOIN r ON l.id = r.id;")
                .ok());
    std::vector<Emitted> out;
    REQUIRE(e.Push("l", Positioned(Rec(Value(1), MakeStruct({{"A", Value("x")}}), 1), 7), out).ok());
    CHECK(out.empty());
    REQUIRE(e.Push("r", Positioned(Rec(Value(1), MakeStruct({{"B", Value("y")}}), 2), 9), out).ok());
    REQUIRE(e.Push("l", Positioned(Rec(Value(1), MakeStruct({{"A", Value("z")}}), 3), 11), out).ok());
    CHECK(OffsetsOf(out) == std::vector<int64_t>{9, 11});
  }

  TEST_CASE("positions are the same after a restore from a snapshot as in one uninterrupted run") {
    const char* sql =
        "CREATE STREAM s (k STRING KEY, v INT) WITH (kafka_topic='in', value_format='JSON');"
        "CREATE TABLE t AS SELECT k, COUNT(*) AS c FROM s "
        "WINDOW TUMBLING (SIZE 10 MILLISECONDS, GRACE PERIOD 0 MILLISECONDS) GROUP BY k EMIT FINAL;"
        "CREATE TABLE n AS SELECT k, COUNT(*) AS c FROM s GROUP BY k;";
    std::vector<Record> first = Clicks({{"a", 1}, {"b", 4}, {"a", 8}});
    std::vector<Record> second = Clicks({{"b", 12}, {"a", 25}, {"b", 41}});
    Engine whole;
    REQUIRE(whole.Execute(sql).ok());
    std::vector<Emitted> out, ignored;
    REQUIRE(whole.PushAll("in", first, ignored).ok());
    REQUIRE(whole.PushAll("in", second, out).ok());

    Engine before, after;
    REQUIRE(before.Execute(sql).ok());
    REQUIRE(after.Execute(sql).ok());
    REQUIRE(before.PushAll("in", first, ignored).ok());
    REQUIRE(after.RestoreState(before.SaveState()).ok());
    std::vector<Emitted> resumed;
    REQUIRE(after.PushAll("in", second, resumed).ok());
    CHECK(OffsetsOf(resumed) == OffsetsOf(out));
    // 12 closes a's and b's [0, 10) windows and counts b in n; 25 closes b's [10, 20) and counts a; 41 closes a's
    // [20, 30) and counts b.
    CHECK(OffsetsOf(out) == std::vector<int64_t>{112, 112, 112, 125, 125, 141, 141});
  }

  TEST_CASE("records a query cannot use are listed with their error; a NULL from a bad value is not") {
    Engine e;
    REQUIRE(e.Execute("CREATE STREAM s (id INT KEY, v INT, g STRING) WITH (kafka_topic='in', value_format='JSON');"
                      "CREATE STREAM o AS SELECT id, v / 0 AS d FROM s;"
                      "CREATE TABLE t AS SELECT g, COUNT(*) AS c FROM s GROUP BY g;")
                .ok());
    std::vector<Record> in;
    in.push_back(Rec(Value(1), MakeStruct({{"V", Value(3)}, {"G", Value("x")}}), 1));
    in.push_back(Rec(Value(2), MakeStruct({{"V", Value("not a number")}, {"G", Value("x")}}), 2));
    in.push_back(Rec(Value(3), MakeStruct({{"V", Value(4)}, {"G", Value()}}), 3));
    std::vector<Emitted> out;
    REQUIRE(e.PushAll("in", in, out).ok());
    const std::vector<DroppedInput>& dropped = e.dropped_inputs();
    // Record 1 cannot be decoded by o (t reads only G, which it can); record 2's GROUP BY key is NULL in t.
    // The divisions by zero of records 0 and 2 give NULL and go on.
    REQUIRE(dropped.size() == 2);
    CHECK(dropped[0].index == 1);
    CHECK(dropped[0].error.find("O: ") == 0);
    CHECK(dropped[1].index == 2);
    CHECK(dropped[1].error.find("GROUP BY expression evaluated to NULL") != std::string::npos);
    CHECK(e.processing_errors().size() == 4);
    // The next push starts a new list.
    std::vector<Record> good = {Rec(Value(4), MakeStruct({{"V", Value(1)}, {"G", Value("y")}}), 4)};
    REQUIRE(e.PushAll("in", good, out).ok());
    CHECK(e.dropped_inputs().empty());
  }
}
