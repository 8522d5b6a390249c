// EMIT FINAL as ksqlDB documents it (Kafka Streams' suppress(untilWindowCloses)): one result per window once
// stream time reaches the window's end plus grace; records within grace are counted, later ones dropped and
// counted; null keys dropped; and, at the end of finite input (Engine::EndOfInput), every open window closes.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "sql/engine.h"

using namespace pipeline;
using namespace pipeline::sql;

namespace {

const char* kInput = "CREATE STREAM input (id STRING KEY, col1 STRING) WITH (kafka_topic='input', value_format='JSON');";

Record Rec(Value key, int64_t ts, Value col1 = Value("v1")) {
  Record r;
  r.key = std::move(key);
  r.value = MakeStruct({{"COL1", std::move(col1)}});
  r.timestamp = ts;
  return r;
}

// key value @timestamp [window) per emitted record, one a line.
std::string Show(const std::vector<Emitted>& out) {
  std::string text;
  for (const auto& e : out) {
    text += e.record.key.ToString() + " " + e.record.value.ToString() + " @" + std::to_string(e.record.timestamp);
    if (e.record.window)
      text += " [" + std::to_string(e.record.window->start) + "," + std::to_string(e.record.window->end) + ")";
    text += "\n";
  }
  return text;
}

std::string Run(Engine& engine, const std::vector<Record>& records) {
  std::vector<Emitted> out;
  for (const Record& r : records) REQUIRE(engine.Push("input", r, out).ok());
  return Show(out);
}

std::string Counting(const std::string& window, std::vector<Record> records, int64_t* late = nullptr) {
  Engine engine;
  REQUIRE(engine.Execute(std::string(kInput) + "CREATE TABLE output AS SELECT id, COUNT(*) AS count FROM input WINDOW " +
                         window + " GROUP BY id EMIT FINAL;").ok());
  std::string shown = Run(engine, records);
  if (late) *late = engine.LateRecords();
  return shown;
}

}  // namespace

TEST_CASE("EMIT FINAL: one result per window once stream time reaches its end plus grace") {
  // Records at 1 and 0 arrive after stream time 2, within grace: counted. Time 5 closes [0,2) and [2,4).
  std::string shown = Counting("TUMBLING (SIZE 2 MILLISECONDS, GRACE PERIOD 1 MILLISECONDS)",
                               {Rec("k1", 0), Rec("k1", 1), Rec("k1", 2), Rec("k1", 1), Rec("k1", 0), Rec("k1", 5)});
  CHECK(shown == "k1 {\"COUNT\":4} @1 [0,2)\nk1 {\"COUNT\":1} @2 [2,4)\n");
}

TEST_CASE("EMIT FINAL: nothing before the window end plus grace, with a zero grace at the end itself") {
  CHECK(Counting("TUMBLING (SIZE 2 MILLISECONDS)", {Rec("k1", 0), Rec("k1", 1), Rec("k1", 2)}).empty());
  CHECK(Counting("TUMBLING (SIZE 2 MILLISECONDS, GRACE PERIOD 0 MILLISECONDS)", {Rec("k1", 0), Rec("k1", 1)}).empty());
  CHECK(Counting("TUMBLING (SIZE 2 MILLISECONDS, GRACE PERIOD 0 MILLISECONDS)",
                 {Rec("k1", 0), Rec("k1", 1), Rec("k1", 2)}) == "k1 {\"COUNT\":2} @1 [0,2)\n");
}

TEST_CASE("EMIT FINAL: a record after its window's end plus grace is dropped and counted, the result unchanged") {
  int64_t late = 0;
  std::string shown = Counting("TUMBLING (SIZE 2 MILLISECONDS, GRACE PERIOD 1 MILLISECONDS)",
                               {Rec("k1", 0), Rec("k1", 1), Rec("k1", 5), Rec("k1", 0), Rec("k1", 1), Rec("k1", 8)},
                               &late);
  CHECK(shown == "k1 {\"COUNT\":2} @1 [0,2)\nk1 {\"COUNT\":1} @5 [4,6)\n");
  CHECK(late == 2);
}

TEST_CASE("EMIT FINAL: a stream time jump closes every window it passes, each once, in window order") {
  std::string shown = Counting("TUMBLING (SIZE 2 MILLISECONDS, GRACE PERIOD 2 MILLISECONDS)",
                               {Rec("k1", 0), Rec("k1", 1), Rec("k1", 2), Rec("k1", 0), Rec("k1", 3), Rec("k1", 0),
                                Rec("k1", 10), Rec("k1", 0), Rec("k1", 30)});
  CHECK(shown == "k1 {\"COUNT\":4} @1 [0,2)\nk1 {\"COUNT\":2} @3 [2,4)\nk1 {\"COUNT\":1} @10 [10,12)\n");
}

TEST_CASE("EMIT FINAL: records without a key are dropped") {
  std::string shown = Counting("TUMBLING (SIZE 2 MILLISECONDS, GRACE PERIOD 1 MILLISECONDS)",
                               {Rec("k1", 0), Rec(Value(), 1), Rec(Value(), 2), Rec("k1", 5)});
  CHECK(shown.find("null") == std::string::npos);
  CHECK(shown.find("k1 {\"COUNT\":1} @0 [0,2)") == 0);
}

TEST_CASE("EMIT FINAL: hopping windows each give one result, several keys apart") {
  std::string shown = Counting("HOPPING (SIZE 5 MILLISECONDS, ADVANCE BY 2 MILLISECONDS, GRACE PERIOD 1 MILLISECONDS)",
                               {Rec("k1", 0), Rec("k1", 1), Rec("k2", 2), Rec("k1", 1), Rec("k1", 6), Rec("k1", 5),
                                Rec("k1", 10)});
  CHECK(shown ==
        "k1 {\"COUNT\":3} @1 [0,5)\n"
        "k2 {\"COUNT\":1} @2 [0,5)\n"
        "k2 {\"COUNT\":1} @2 [2,7)\n"
        "k1 {\"COUNT\":2} @6 [2,7)\n"
        "k1 {\"COUNT\":2} @6 [4,9)\n");
}

TEST_CASE("EMIT FINAL after a filter and a join counts only what they pass on") {
  Engine engine;
  REQUIRE(engine.Execute(
      "CREATE STREAM l (a INT KEY, b INT) WITH (kafka_topic='left', value_format='JSON');"
      "CREATE STREAM r (a INT KEY, c INT) WITH (kafka_topic='right', value_format='JSON');"
      "CREATE STREAM joined AS SELECT * FROM l INNER JOIN r WITHIN 1 SECONDS ON l.a = r.a WHERE l.b > 0;"
      "CREATE TABLE output AS SELECT l_a, COUNT(*) AS count FROM joined "
      "WINDOW TUMBLING (SIZE 2 MILLISECONDS, GRACE PERIOD 1 MILLISECONDS) GROUP BY l_a EMIT FINAL;").ok());
  std::vector<Emitted> out;
  auto push = [&](const char* topic, int a, const char* field, int v, int64_t ts) {
    Record r;
    r.key = Value(a);
    r.value = MakeStruct({{field, Value(v)}});
    r.timestamp = ts;
    REQUIRE(engine.Push(topic, r, out).ok());
  };
  push("left", 0, "B", 1, 0);
  push("right", 0, "C", 9, 1);
  push("left", 0, "B", -1, 1);  // filtered out after the join
  push("left", 0, "B", 2, 1);
  push("left", 1, "B", 5, 10);
  push("right", 1, "C", 9, 10);
  std::vector<Emitted> finals;
  for (auto& e : out)
    if (e.topic == "OUTPUT") finals.push_back(e);
  CHECK(Show(finals) == "0 {\"COUNT\":2} @1 [0,2)\n");
}

TEST_CASE("end of input closes every open window; stream time alone would not") {
  const std::string window = "TUMBLING (SIZE 2 MILLISECONDS)";  // the default grace: 24 hours
  Engine engine;
  REQUIRE(engine.Execute(std::string(kInput) + "CREATE TABLE output AS SELECT id, COUNT(*) AS count FROM input WINDOW " +
                         window + " GROUP BY id EMIT FINAL;").ok());
  CHECK(Run(engine, {Rec("k1", 0), Rec("k2", 1), Rec("k1", 3)}).empty());
  std::vector<Emitted> out;
  REQUIRE(engine.EndOfInput(out).ok());
  CHECK(Show(out) == "k1 {\"COUNT\":1} @0 [0,2)\nk2 {\"COUNT\":1} @1 [0,2)\nk1 {\"COUNT\":1} @3 [2,4)\n");
  // Closed for good: a record for a window already given is late; a later window opens as usual.
  CHECK(Run(engine, {Rec("k1", 2), Rec("k1", 4)}).empty());
  CHECK(engine.LateRecords() == 1);
  out.clear();
  REQUIRE(engine.EndOfInput(out).ok());
  CHECK(Show(out) == "k1 {\"COUNT\":1} @4 [4,6)\n");
}

TEST_CASE("end of input: a query reading EMIT FINAL results gets them before its own windows close") {
  Engine engine;
  REQUIRE(engine.Execute(std::string(kInput) +
                         "CREATE TABLE per_id AS SELECT id, COUNT(*) AS n FROM input "
                         "WINDOW TUMBLING (SIZE 10 MILLISECONDS) GROUP BY id EMIT FINAL;"
                         "CREATE STREAM per_id_final (n BIGINT) WITH (kafka_topic='PER_ID', value_format='JSON');"
                         "CREATE TABLE by_count AS SELECT n, COUNT(*) AS ids FROM per_id_final "
                         "WINDOW TUMBLING (SIZE 10 MILLISECONDS) GROUP BY n EMIT FINAL;").ok());
  CHECK(Run(engine, {Rec("a", 1), Rec("b", 2), Rec("a", 3)}).empty());
  std::vector<Emitted> out;
  REQUIRE(engine.EndOfInput(out).ok());
  CHECK(Show(out) ==
        "b {\"N\":1} @2 [0,10)\na {\"N\":2} @3 [0,10)\n"
        "1 {\"IDS\":1} @2 [0,10)\n2 {\"IDS\":1} @3 [0,10)\n");
}

TEST_CASE("end of input: an outer stream-stream join row still waiting comes out alone") {
  Engine engine;
  REQUIRE(engine.Execute(
      "CREATE STREAM l (a INT KEY, b INT) WITH (kafka_topic='left', value_format='JSON');"
      "CREATE STREAM r (a INT KEY, c INT) WITH (kafka_topic='right', value_format='JSON');"
      "CREATE STREAM joined AS SELECT l.a AS a, b, c FROM l LEFT JOIN r WITHIN 10 SECONDS GRACE PERIOD 1 SECONDS "
      "ON l.a = r.a;").ok());
  Record r;
  r.key = Value(7);
  r.value = MakeStruct({{"B", Value(1)}});
  r.timestamp = 100;
  std::vector<Emitted> out;
  REQUIRE(engine.Push("left", r, out).ok());
  CHECK(out.empty());
  REQUIRE(engine.EndOfInput(out).ok());
  CHECK(Show(out) == "7 {\"B\":1,\"C\":null} @100\n");
}
