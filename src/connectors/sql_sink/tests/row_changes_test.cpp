// Records as row changes, and a flush collapsed to the last change per key, without a server
// (tests/e2e/test_postgres_sink.py and test_mysql_sink.py write to real ones).
#include "connectors/sql_sink/row_changes.h"

#include <doctest/doctest.h>

namespace pipeline::sql_sink {
namespace {

Record Row(int64_t id, const std::string& name) {
  Record r;
  r.key = MakeStruct({{"id", Value(id)}});
  r.value = MakeStruct({{"id", Value(id)}, {"name", Value(name)}});
  return r;
}

Record Tombstone(int64_t id) {
  Record r;
  r.key = MakeStruct({{"id", Value(id)}});
  return r;
}

std::vector<RowChange> Changes(const BatchPtr& batch, const ChangePlan& plan) {
  std::vector<RowChange> out;
  for (size_t i = 0; i < batch->records.size(); ++i) {
    auto c = MakeRowChange(batch, i, plan);
    REQUIRE(c.ok());
    out.push_back(std::move(*c));
  }
  return out;
}

}  // namespace

TEST_CASE("sql sink: a record becomes a row change with its key columns") {
  auto batch = std::make_shared<Batch>();
  batch->records = {Row(7, "Ada")};
  ChangePlan plan{.mode = WriteMode::kUpsert};
  auto change = MakeRowChange(batch, 0, plan);
  REQUIRE(change.ok());
  CHECK(change->kind == RowChange::Kind::kWrite);
  CHECK(change->key_columns == std::vector<std::string>{"id"});
  CHECK(change->columns == std::vector<std::string>{"id", "name"});
  CHECK(change->key == "7\x1f");
}

TEST_CASE("sql sink: key columns the value lacks come from the key; a scalar key needs primary_key") {
  auto batch = std::make_shared<Batch>();
  Record r;
  r.key = Value(int64_t{42});
  r.value = MakeStruct({{"name", Value("Grace")}});
  batch->records = {r};
  auto without = MakeRowChange(batch, 0, ChangePlan{.mode = WriteMode::kUpsert});
  REQUIRE_FALSE(without.ok());
  CHECK(without.error().kind() == ErrorKind::kConfig);
  CHECK(without.error().message().find("primary_key: [name]") != std::string::npos);
  auto with = MakeRowChange(batch, 0, ChangePlan{.mode = WriteMode::kUpsert, .primary_key = {"user_id"}});
  REQUIRE(with.ok());
  CHECK(with->columns == std::vector<std::string>{"name", "user_id"});
  CHECK(with->values[1] == Value(int64_t{42}));
}

TEST_CASE("sql sink: tombstones delete only when asked; other bad records are data errors") {
  auto batch = std::make_shared<Batch>();
  Record scalar;
  scalar.value = Value("just text");
  batch->records = {Tombstone(3), scalar};
  auto kept = MakeRowChange(batch, 0, ChangePlan{.mode = WriteMode::kUpsert});
  REQUIRE_FALSE(kept.ok());
  CHECK(kept.error().kind() == ErrorKind::kData);
  auto deleted = MakeRowChange(batch, 0, ChangePlan{.mode = WriteMode::kUpsert, .delete_on_tombstone = true});
  REQUIRE(deleted.ok());
  CHECK(deleted->kind == RowChange::Kind::kDelete);
  CHECK(deleted->columns == std::vector<std::string>{"id"});
  auto not_struct = MakeRowChange(batch, 1, ChangePlan{});
  REQUIRE_FALSE(not_struct.ok());
  CHECK(not_struct.error().kind() == ErrorKind::kData);
}

TEST_CASE("sql sink: collapsing keeps the last change per key, deletes included, in order") {
  auto batch = std::make_shared<Batch>();
  // 1 written twice; 2 written then deleted; 3 deleted then written again; 4 once.
  batch->records = {Row(1, "a"), Row(2, "b"), Tombstone(3), Row(1, "a2"), Tombstone(2), Row(3, "c"), Row(4, "d")};
  auto changes = Changes(batch, ChangePlan{.mode = WriteMode::kUpsert, .delete_on_tombstone = true});
  auto collapsed = CollapseToLastPerKey(std::move(changes));
  REQUIRE(collapsed.size() == 4);
  CHECK(collapsed[0].index == 3);  // 1 -> "a2"
  CHECK(collapsed[0].values[1] == Value("a2"));
  CHECK(collapsed[1].index == 4);  // 2 deleted
  CHECK(collapsed[1].kind == RowChange::Kind::kDelete);
  CHECK(collapsed[2].index == 5);  // 3 written after its delete
  CHECK(collapsed[2].kind == RowChange::Kind::kWrite);
  CHECK(collapsed[3].index == 6);
}

TEST_CASE("sql sink: changes without a key are never collapsed") {
  auto batch = std::make_shared<Batch>();
  Record a, b;
  a.value = MakeStruct({{"n", Value(int64_t{1})}});
  b.value = MakeStruct({{"n", Value(int64_t{1})}});
  batch->records = {a, b};
  auto collapsed = CollapseToLastPerKey(Changes(batch, ChangePlan{}));
  CHECK(collapsed.size() == 2);
}

}  // namespace pipeline::sql_sink
