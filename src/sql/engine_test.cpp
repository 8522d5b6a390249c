#include <deque>
#include <doctest/doctest.h>

#include <map>
#include <memory>

#include "core/value_codec.h"
#include "sql/engine.h"
#include "sql/engine_test_records.h"

using namespace pipeline;
using namespace pipeline::sql;
using pipeline::sql::testing::Rec;

namespace {

std::string Show(const std::vector<Emitted>& out) {
  std::string text;
  for (const auto& e : out) {
    text += e.topic + " " + e.record.key.ToString() + " " + e.record.value.ToString() + " @" + std::to_string(e.record.timestamp);
    if (e.record.window) text += " [" + std::to_string(e.record.window->start) + "," + std::to_string(e.record.window->end) + ")";
    for (const Header& h : e.record.headers) text += " " + h.key + "=" + h.value.value_or("null");
    text += "\n";
  }
  return text;
}

// Every kind of state at once: a table, tumbling (also EMIT FINAL) and session aggregates, stream-stream and
// table-table joins.
const char* kStatefulQueries =
    "CREATE STREAM clicks (user STRING KEY, page STRING, ms INT) WITH (kafka_topic='clicks', value_format='JSON');"
    "CREATE STREAM views (user STRING KEY, page STRING) WITH (kafka_topic='views', value_format='JSON');"
    "CREATE TABLE users (user STRING PRIMARY KEY, level STRING) WITH (kafka_topic='users', value_format='JSON');"
    "CREATE TABLE per_min AS SELECT user, COUNT(*) AS n, COUNT_DISTINCT(page) AS pages, COLLECT_LIST(ms) AS mss, AVG(ms) AS avg_ms "
    "FROM clicks WINDOW TUMBLING (SIZE 60 SECONDS, GRACE PERIOD 10 SECONDS) GROUP BY user;"
    "CREATE TABLE final_min AS SELECT user, COUNT(*) AS n FROM clicks "
    "WINDOW TUMBLING (SIZE 60 SECONDS, GRACE PERIOD 10 SECONDS) GROUP BY user EMIT FINAL;"
    "CREATE TABLE sessions AS SELECT user, COUNT(*) AS n FROM clicks WINDOW SESSION (30 SECONDS) GROUP BY user;"
    "CREATE STREAM seen AS SELECT c.user AS user, c.page AS clicked, v.page AS viewed FROM clicks c "
    "LEFT JOIN views v WITHIN 20 SECONDS GRACE PERIOD 5 SECONDS ON c.user = v.user;"
    "CREATE TABLE totals AS SELECT user, COUNT(*) AS n FROM clicks GROUP BY user;"
    "CREATE TABLE rich AS SELECT t.user AS user, n, level FROM totals t JOIN users u ON t.user = u.user;"
    "CREATE STREAM enriched AS SELECT c.user AS user, page, level FROM clicks c LEFT JOIN users u ON c.user = u.user;"
    // Filters that delete only keys they let through before: HAVING, and WHERE after a table join.
    "CREATE TABLE even_pages AS SELECT page, COUNT(*) AS n FROM clicks GROUP BY page HAVING COUNT(*) % 2 = 0;"
    "CREATE TABLE gold_totals AS SELECT t.user AS user, n FROM totals t JOIN users u ON t.user = u.user "
    "WHERE u.level = 'gold';";

// A fixed mix of inputs: (topic, record), event time increasing with some disorder.
std::vector<std::pair<std::string, Record>> StatefulInputs() {
  std::vector<std::pair<std::string, Record>> in;
  const char* users[] = {"ann", "bob", "cy"};
  for (int i = 0; i < 120; ++i) {
    std::string user = users[(i * 7) % 3];
    int64_t ts = i * 4000 - (i % 5 == 0 ? 9000 : 0);
    if (i % 11 == 0) in.push_back({"users", Rec(Value(user), MakeStruct({{"LEVEL", Value(i % 2 ? "gold" : "silver")}}), ts)});
    if (i % 4 == 0) in.push_back({"views", Rec(Value(user), MakeStruct({{"PAGE", Value("v" + std::to_string(i % 6))}}), ts)});
    Record click = Rec(Value(user), MakeStruct({{"PAGE", Value("p" + std::to_string(i % 4))}, {"MS", Value(i)}}), ts);
    click.headers = {{"click", std::to_string(i)}, {"empty", std::nullopt}};  // results carry them, also after a restore
    in.push_back({"clicks", std::move(click)});
  }
  return in;
}

// The last value per (topic, key, window): what a table's changelog says in the end.
std::map<std::string, std::string> Finals(const std::vector<Emitted>& out) {
  std::map<std::string, std::string> last;
  for (const auto& e : out) {
    std::string id = e.topic + " " + e.record.key.ToString();
    if (e.record.window) id += " [" + std::to_string(e.record.window->start) + "," + std::to_string(e.record.window->end) + ")";
    last[id] = e.record.value.ToString();
  }
  return last;
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

  TEST_CASE("a query reading another's topic sees its records through its own schema") {
    Engine e;
    REQUIRE(e.Execute("CREATE STREAM s (id INT KEY, v INT, name STRING) WITH (kafka_topic='in', value_format='JSON');"
                      "CREATE STREAM mid WITH (kafka_topic='mid') AS SELECT id, v, name FROM s;"
                      "CREATE STREAM other (k INT KEY, v STRING, missing INT, name INT) "
                      "WITH (kafka_topic='mid', value_format='JSON');"
                      "CREATE STREAM out AS SELECT k, v, missing, name FROM other;").ok());
    std::vector<Emitted> out;
    REQUIRE(e.Push("in", Rec(Value(1), MakeStruct({{"V", Value(5)}, {"NAME", Value("x")}}), 10), out).ok());
    REQUIRE(e.Push("in", Rec(Value(2), MakeStruct({{"V", Value(6)}, {"NAME", Value("7")}}), 20), out).ok());
    REQUIRE(out.size() == 3);  // mid, mid, out: "x" is no INT, so the first record fails to deserialize
    CHECK(out[0].topic == "mid");
    CHECK(out[0].record.value.as_struct().values[1] == Value("x"));
    CHECK(out[2].topic == "OUT");
    CHECK(out[2].record.key == Value(2));
    CHECK(out[2].record.timestamp == 20);
    const Struct& row = out[2].record.value.as_struct();
    CHECK(row.values[0] == Value("6"));
    CHECK(row.values[1].is_null());
    CHECK(row.values[2] == Value(7));
    REQUIRE(e.processing_errors().size() == 1);
    CHECK(e.processing_errors()[0].find("Failed to deserialize") != std::string::npos);

    e.SetUnreadTopics({"mid"});  // records of unread topics still feed the queries that read them
    out.clear();
    REQUIRE(e.Push("in", Rec(Value(3), MakeStruct({{"V", Value(8)}, {"NAME", Value("9")}}), 30), out).ok());
    REQUIRE(out.size() == 1);
    CHECK(out[0].topic == "OUT");
    CHECK(out[0].record.value.as_struct().values[2] == Value(9));
  }

  TEST_CASE("a JSON source feeding a query's output topic decodes every field the queries over it read") {
    Engine e;
    REQUIRE(e.Execute("CREATE STREAM s (id INT KEY, name STRING, v INT, unused INT) "
                      "WITH (kafka_topic='in', value_format='JSON');"
                      "CREATE STREAM mid AS SELECT id, name, v FROM s;"
                      "CREATE STREAM out AS SELECT id, name FROM mid WHERE v > 1;").ok());
    CHECK(e.ValueDemand("in").names() == std::vector<std::string>{"NAME", "V"});
    // MID is written by a query here, but records pushed to it from outside (another stage, a source) are read
    // by OUT: a source must decode NAME and V for it, not nothing.
    CHECK(e.ValueDemand("MID").names() == std::vector<std::string>{"NAME", "V"});
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

  TEST_CASE("state saved mid-stream and restored into a new engine continues exactly as without the break") {
    auto inputs = StatefulInputs();
    Engine whole;
    REQUIRE(whole.Execute(kStatefulQueries).ok());
    CHECK(whole.HasState());
    std::vector<Emitted> expected;
    for (auto& [topic, r] : inputs) REQUIRE(whole.Push(topic, r, expected).ok());

    for (size_t cut : {size_t{1}, inputs.size() / 3, inputs.size() / 2, inputs.size() - 1}) {
      CAPTURE(cut);
      std::vector<Emitted> got;
      std::string bytes;
      {
        Engine before;
        REQUIRE(before.Execute(kStatefulQueries).ok());
        for (size_t i = 0; i < cut; ++i) REQUIRE(before.Push(inputs[i].first, inputs[i].second, got).ok());
        EncodeValue(before.SaveState(), bytes);
      }
      Engine after;
      REQUIRE(after.Execute(kStatefulQueries).ok());
      std::string_view in = bytes;
      auto state = DecodeValue(in);
      REQUIRE(state.ok());
      REQUIRE(after.RestoreState(*state).ok());
      for (size_t i = cut; i < inputs.size(); ++i) REQUIRE(after.Push(inputs[i].first, inputs[i].second, got).ok());
      CHECK(Show(got) == Show(expected));
    }
  }

  TEST_CASE("state of other statements is refused") {
    Engine a;
    REQUIRE(a.Execute(kStatefulQueries).ok());
    Engine b;
    REQUIRE(b.Execute("CREATE STREAM s (k STRING KEY, v INT) WITH (kafka_topic='in', value_format='JSON');"
                      "CREATE TABLE t AS SELECT k, COUNT(*) AS c FROM s GROUP BY k;").ok());
    Status s = b.RestoreState(a.SaveState());
    REQUIRE(!s.ok());
    CHECK(s.message().find("other statements") != std::string::npos);
    Engine stateless;
    REQUIRE(stateless.Execute("CREATE STREAM s (k STRING KEY, v INT) WITH (kafka_topic='in', value_format='JSON');"
                              "CREATE STREAM o AS SELECT k, v FROM s WHERE v > 1;").ok());
    CHECK_FALSE(stateless.HasState());
  }

  TEST_CASE("sessions are dropped once they end longer ago than gap plus grace") {
    Engine e;
    REQUIRE(e.Execute("CREATE STREAM s (k STRING KEY, v INT) WITH (kafka_topic='in', value_format='JSON');"
                      "CREATE TABLE t AS SELECT k, COUNT(*) AS c FROM s "
                      "WINDOW SESSION (10 SECONDS, GRACE PERIOD 5 SECONDS) GROUP BY k;").ok());
    auto sessions_kept = [&] {
      // [[name, readers, [operator states...]]]: the aggregate's state is [groups, ...].
      Value state = e.SaveState();
      for (const auto& op : state.as_array()[0].as_array()[2].as_array())
        if (!op.is_null()) return op.as_array()[0].as_array().size();
      return size_t{0};
    };
    std::vector<Emitted> out;
    for (int i = 0; i < 100; ++i)
      REQUIRE(e.Push("in", Rec(Value("k" + std::to_string(i)), MakeStruct({{"V", Value(i)}}), i * 100), out).ok());
    CHECK(sessions_kept() == 100);
    // Stream time 24.9 s: sessions ending before 24.9 - 15 = 9.9 s go; all of them end by 9.9 s.
    REQUIRE(e.Push("in", Rec(Value("late"), MakeStruct({{"V", Value(0)}}), 24'900), out).ok());
    CHECK(sessions_kept() == 2);  // k99 (ends at 9.9 s) and `late`
    REQUIRE(e.Push("in", Rec(Value("later"), MakeStruct({{"V", Value(0)}}), 24'901), out).ok());
    CHECK(sessions_kept() == 2);  // `late` and `later`
  }

  TEST_CASE("GROUP BY and joins through a repartition: three tasks sharing the keys end as one engine does") {
    const char* statements =
        "CREATE STREAM clicks (user STRING KEY, page STRING, ms INT) WITH (kafka_topic='clicks', value_format='JSON');"
        "CREATE STREAM views (user STRING KEY, page STRING) WITH (kafka_topic='views', value_format='JSON');"
        "CREATE TABLE users (user STRING PRIMARY KEY, level STRING) WITH (kafka_topic='users', value_format='JSON');"
        "CREATE TABLE per_page AS SELECT page, COUNT(*) AS n, SUM(ms) AS total FROM clicks GROUP BY page;"
        "CREATE TABLE per_page_min AS SELECT page, COUNT(*) AS n FROM clicks "
        "WINDOW TUMBLING (SIZE 60 SECONDS, GRACE PERIOD 1 HOUR) GROUP BY page;"
        "CREATE TABLE per_level AS SELECT level, COUNT(*) AS n FROM users GROUP BY level;"
        // A stream-table join, then a GROUP BY on a column of the table: repartitioned twice.
        "CREATE TABLE clicks_per_level AS SELECT u.level AS level, COUNT(*) AS n, SUM(c.ms) AS ms "
        "FROM clicks c JOIN users u ON c.user = u.user GROUP BY u.level;"
        // A GROUP BY over another one's table: its changes move between the first one's partitions.
        "CREATE TABLE pages_per_count AS SELECT n, COUNT(*) AS pages FROM per_page GROUP BY n;"
        // A stream-stream join on columns that are not the key.
        "CREATE STREAM viewed_then_clicked AS SELECT c.page AS page, c.ms AS ms, v.user AS viewer "
        "FROM clicks c JOIN views v WITHIN 10 SECONDS ON c.page = REPLACE(v.page, 'v', 'p');";
    Engine whole;
    REQUIRE(whole.Execute(statements).ok());
    Engine front;
    REQUIRE(front.Execute(statements).ok());
    front.SetRepartition();
    constexpr size_t kTasks = 3;
    std::vector<std::unique_ptr<Engine>> tasks;
    for (size_t i = 0; i < kTasks; ++i) {
      tasks.push_back(std::make_unique<Engine>());
      REQUIRE(tasks.back()->Execute(statements).ok());
      tasks.back()->SetRepartition();
    }
    std::vector<Emitted> expected, got;
    size_t repartitioned = 0, moves = 0;
    for (auto& [topic, record] : StatefulInputs()) {
      REQUIRE(whole.Push(topic, record, expected).ok());
      std::vector<Emitted> out;
      REQUIRE(front.Push(topic, record, out).ok());
      moves += out.size() > 1 && topic == "users";  // a level change: retraction and insert for two keys, and the join
      for (const Emitted& e : out) CHECK(e.topic == Engine::kRepartitionTopic);  // the front joins nothing itself
      // Repartition records go to the task of their key, and what a task repartitions again goes round, in order.
      std::deque<Emitted> pending(std::make_move_iterator(out.begin()), std::make_move_iterator(out.end()));
      while (!pending.empty()) {
        Emitted e = std::move(pending.front());
        pending.pop_front();
        if (e.topic != Engine::kRepartitionTopic) {
          got.push_back(std::move(e));
          continue;
        }
        ++repartitioned;
        std::vector<Record> one{e.record};
        size_t task = std::hash<std::string>{}(e.record.key.as_bytes().data) % kTasks;
        std::vector<Emitted> caused;
        REQUIRE(tasks[task]->PushRepartitioned(one, caused).ok());
        for (auto& c : caused) pending.push_back(std::move(c));
      }
    }
    CHECK(moves > 0);
    CHECK(repartitioned > expected.size() / 2);
    // The users table is state before the repartition (its rows, for the row an update replaces); streams are not.
    CHECK(front.KeepsStateBeforeRepartition("users"));
    CHECK_FALSE(front.KeepsStateBeforeRepartition("clicks"));
    auto want = Finals(expected);
    CHECK(want.size() > 10);
    CHECK(std::count_if(want.begin(), want.end(), [](const auto& kv) { return kv.first.starts_with("CLICKS_PER_LEVEL"); }) == 2);
    CHECK(std::count_if(want.begin(), want.end(), [](const auto& kv) { return kv.first.starts_with("PAGES_PER_COUNT"); }) > 0);
    CHECK(std::count_if(want.begin(), want.end(), [](const auto& kv) { return kv.first.starts_with("VIEWED_THEN_CLICKED"); }) > 0);
    CHECK(Finals(got) == want);
    CHECK(got.size() == expected.size());
    Engine foreign_key;
    REQUIRE(foreign_key.Execute("CREATE TABLE a (id INT PRIMARY KEY, b_id INT) WITH (kafka_topic='a', value_format='JSON');"
                                "CREATE TABLE b (id INT PRIMARY KEY, x INT) WITH (kafka_topic='b', value_format='JSON');"
                                "CREATE TABLE ab AS SELECT a.id, b.x FROM a JOIN b ON a.b_id = b.id;").ok());
    CHECK(foreign_key.ScaleOutProblem().value_or("").find("foreign key") != std::string::npos);
    CHECK_FALSE(front.ScaleOutProblem());
    std::vector<Record> damaged{Rec(Value(Bytes{"k"}), Value(Bytes{"not a change"}), 0)};
    REQUIRE(tasks[0]->PushRepartitioned(damaged, got).ok());
    CHECK(tasks[0]->TakeProcessingErrors().size() == 1);
  }
}
