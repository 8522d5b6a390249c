// pgoutput's bytes decoded, column text typed by OID, and changes turned into records in both envelopes, without
// a server (tests/e2e/test_postgres_cdc.py runs the source against a real one).
#include "connectors/postgres_cdc/change_records.h"

#include <doctest/doctest.h>

#include <limits>

#include "connectors/postgres_client/column_value.h"
#include "connectors/postgres_cdc/pgoutput_message.h"

namespace pipeline::postgres_cdc {

using postgres_client::ColumnValue;
using postgres_client::HasTypeMapping;
namespace pg_type = postgres_client::pg_type;

namespace {

std::string Int(uint64_t v, int width) {
  std::string out;
  for (int shift = (width - 1) * 8; shift >= 0; shift -= 8) out.push_back(static_cast<char>((v >> shift) & 0xff));
  return out;
}
std::string Str(const std::string& s) { return s + std::string(1, '\0'); }
std::string Text(const std::string& s) { return "t" + Int(s.size(), 4) + s; }

// public.items (id int4 key, name text, price numeric(10,2)).
std::string RelationBytes() {
  return "R" + Int(16384, 4) + Str("public") + Str("items") + "d" + Int(3, 2) + "\1" + Str("id") + Int(23, 4) +
         Int(0xffffffff, 4) + std::string(1, '\0') + Str("name") + Int(25, 4) + Int(0xffffffff, 4) +
         std::string(1, '\0') + Str("price") + Int(1700, 4) + Int(((10 << 16) | 2) + 4, 4);
}

TEST_CASE("pgoutput: begin, relation, insert, update with a key change, delete, truncate, commit") {
  auto begin = ParsePgOutput("B" + Int(0x500, 8) + Int(1000, 8) + Int(77, 4));
  REQUIRE(begin.ok());
  CHECK(std::get<BeginMessage>(*begin).final_lsn == 0x500);
  CHECK(std::get<BeginMessage>(*begin).xid == 77);

  auto relation = ParsePgOutput(RelationBytes());
  REQUIRE(relation.ok());
  const auto& r = std::get<RelationMessage>(*relation);
  CHECK(r.schema == "public");
  CHECK(r.table == "items");
  REQUIRE(r.columns.size() == 3);
  CHECK(r.columns[0].key);
  CHECK_FALSE(r.columns[1].key);
  CHECK(r.columns[2].type == 1700);

  auto insert = ParsePgOutput("I" + Int(16384, 4) + "N" + Int(3, 2) + Text("1") + "n" + Text("9.50"));
  REQUIRE(insert.ok());
  const auto& i = std::get<ChangeMessage>(*insert);
  CHECK(i.op == 'I');
  REQUIRE(i.new_row);
  CHECK(i.new_row->at(1).kind == TupleColumn::Kind::kNull);
  CHECK(i.new_row->at(2).text == "9.50");

  auto update = ParsePgOutput("U" + Int(16384, 4) + "K" + Int(3, 2) + Text("1") + "nn" + "N" + Int(3, 2) + Text("2") +
                              "u" + Text("1.00"));
  REQUIRE(update.ok());
  const auto& u = std::get<ChangeMessage>(*update);
  CHECK(u.old_is_key_only);
  CHECK(u.new_row->at(1).kind == TupleColumn::Kind::kUnchangedToast);

  auto truncate = ParsePgOutput("T" + Int(2, 4) + std::string(1, '\1') + Int(16384, 4) + Int(16390, 4));
  REQUIRE(truncate.ok());
  CHECK(std::get<TruncateMessage>(*truncate).relations.size() == 2);
  CHECK(std::get<TruncateMessage>(*truncate).cascade);

  auto commit = ParsePgOutput("C" + std::string(1, '\0') + Int(0x500, 8) + Int(0x530, 8) + Int(1000, 8));
  REQUIRE(commit.ok());
  CHECK(std::get<CommitMessage>(*commit).end_lsn == 0x530);
  CHECK(std::holds_alternative<IgnoredMessage>(*ParsePgOutput("Y" + Int(1, 4) + Str("s") + Str("t"))));
}

TEST_CASE("pgoutput: short or unknown messages are errors, never reads past the end") {
  std::string relation = RelationBytes();
  for (size_t n = 1; n < relation.size(); ++n) CHECK_FALSE(ParsePgOutput(relation.substr(0, n)).ok());
  CHECK_FALSE(ParsePgOutput("").ok());
  CHECK_FALSE(ParsePgOutput("Z").ok());
  CHECK_FALSE(ParsePgOutput("I" + Int(1, 4) + "N" + Int(1, 2) + "t" + Int(100, 4) + "ab").ok());
  CHECK_FALSE(ParsePgOutput("D" + Int(1, 4) + "N" + Int(0, 2)).ok());
}

TEST_CASE("column values: typed by OID, full precision") {
  using namespace pg_type;
  CHECK(ColumnValue(kInt4, -1, "-42") == Value(int64_t{-42}));
  CHECK(ColumnValue(kInt8, -1, "9223372036854775807") == Value(int64_t{9223372036854775807}));
  CHECK(ColumnValue(kBool, -1, "t") == Value(true));
  CHECK(ColumnValue(kFloat8, -1, "1.5") == Value(1.5));
  CHECK(ColumnValue(kFloat8, -1, "NaN") == Value("NaN"));
  CHECK(ColumnValue(kFloat4, -1, "-Infinity") == Value("-Infinity"));
  Value price = ColumnValue(kNumeric, ((10 << 16) | 2) + 4, "-12345678.90");
  REQUIRE(price.is_decimal());
  CHECK(price.as_decimal().ToString() == "-12345678.90");
  CHECK(price.as_decimal().precision == 10);
  CHECK(price.as_decimal().scale == 2);
  CHECK(ColumnValue(kNumeric, -1, "NaN") == Value("NaN"));
  CHECK(ColumnValue(kNumeric, -1, "Infinity") == Value("Infinity"));
  const std::string wide = "123456789012345678901234567890.123456789012";  // 42 digits: kept as text
  CHECK(ColumnValue(kNumeric, -1, wide) == Value(wide));
  CHECK(ColumnValue(kDate, -1, "2024-02-29") == Value(Date{19782}));
  CHECK(ColumnValue(kDate, -1, "1969-12-31") == Value(Date{-1}));
  CHECK(ColumnValue(kTimestamp, -1, "2024-02-29 13:14:15.123456") == Value("2024-02-29T13:14:15.123456"));
  CHECK(ColumnValue(kTimestamp, -1, "2024-02-29 13:14:15") == Value("2024-02-29T13:14:15.000000"));
  CHECK(ColumnValue(kTimestampTz, -1, "2024-03-01 01:00:00.5+02") == Value("2024-02-29T23:00:00.500000Z"));
  CHECK(ColumnValue(kTimestampTz, -1, "2024-01-01 00:00:00-05:30") == Value("2024-01-01T05:30:00.000000Z"));
  CHECK(ColumnValue(kTimestampTz, -1, "infinity") == Value("infinity"));
  CHECK(ColumnValue(kUuid, -1, "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11") ==
        Value("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
  CHECK(ColumnValue(kJsonb, -1, "{\"a\": 1}") == Value("{\"a\": 1}"));
  CHECK(ColumnValue(kBytea, -1, "\\x00ff") == Value(Bytes{std::string("\0\xff", 2)}));
  CHECK(ColumnValue(600, -1, "(1,2)") == Value("(1,2)"));  // point: no mapping, its text
}

ChangeMessage Change(const std::string& bytes) { return std::get<ChangeMessage>(*ParsePgOutput(bytes)); }

TEST_CASE("change records: a commit time at either end of 64 bits is still a time, not an overflow") {
  // Found by fuzzing (tests/fuzz/pgoutput): through system_clock's nanoseconds, a Begin message's commit time
  // beyond 2262 overflowed (undefined behaviour; a wrapped event time in practice). `infinity` is INT64_MAX.
  const std::string insert = "I" + Int(16384, 4) + "N" + Int(3, 2) + Text("1") + Text("pen") + Text("9.50");
  ChangeRecords rows(Envelope::kRow, "shop", "db");
  rows.AddRelation(std::get<RelationMessage>(*ParsePgOutput(RelationBytes())));
  std::vector<Record> out;
  const int64_t max = std::numeric_limits<int64_t>::max(), min = std::numeric_limits<int64_t>::min();
  REQUIRE(rows.Add(Change(insert), TransactionInfo{0x500, max, 77}, out).ok());
  REQUIRE(rows.Add(Change(insert), TransactionInfo{0x500, 7594911111936036211, 77}, out).ok());
  REQUIRE(rows.Add(Change(insert), TransactionInfo{0x500, min, 77}, out).ok());
  REQUIRE(rows.Add(Change(insert), TransactionInfo{0x500, -1'000'000, 77}, out).ok());
  REQUIRE(out.size() == 4);
  CHECK(out[0].timestamp == max / 1000);
  CHECK(out[1].timestamp == 7594911111936036 + 946684800000);
  CHECK(out[2].timestamp == min / 1000 + 946684800000);
  CHECK(out[3].timestamp == 946684799000);  // 1999-12-31T23:59:59
}

TEST_CASE("change records: row and debezium envelopes, key changes, unchanged TOAST values") {
  const TransactionInfo txn{0x500, 0, 77};
  const std::string insert = "I" + Int(16384, 4) + "N" + Int(3, 2) + Text("1") + Text("pen") + Text("9.50");
  const std::string remove = "D" + Int(16384, 4) + "K" + Int(3, 2) + Text("1") + "nn";

  ChangeRecords rows(Envelope::kRow, "shop", "db");
  rows.AddRelation(std::get<RelationMessage>(*ParsePgOutput(RelationBytes())));
  std::vector<Record> out;
  REQUIRE(rows.Add(Change(insert), txn, out).ok());
  REQUIRE(rows.Add(Change(remove), txn, out).ok());
  REQUIRE(out.size() == 2);
  CHECK(out[0].topic == "shop.public.items");
  CHECK(out[0].key == MakeStruct({{"id", int64_t{1}}}));
  CHECK(out[0].value.as_struct().Find("name")->as_string() == "pen");
  CHECK(out[0].timestamp == 946684800000);  // the commit time: 2000-01-01
  CHECK(out[1].key == MakeStruct({{"id", int64_t{1}}}));
  CHECK(out[1].value.is_null());

  out.clear();
  const std::string key_change =
      "U" + Int(16384, 4) + "K" + Int(3, 2) + Text("1") + "nn" + "N" + Int(3, 2) + Text("2") + "u" + Text("1.00");
  REQUIRE(rows.Add(Change(key_change), txn, out).ok());
  REQUIRE(out.size() == 2);
  CHECK(out[0].value.is_null());  // the old key's tombstone
  CHECK(out[1].key == MakeStruct({{"id", int64_t{2}}}));
  CHECK(out[1].value.as_struct().size() == 2);  // the unchanged TOAST column is left out, not a placeholder
  CHECK(out[1].value.as_struct().Find("name") == nullptr);

  ChangeRecords debezium(Envelope::kDebezium, "shop", "db");
  debezium.AddRelation(std::get<RelationMessage>(*ParsePgOutput(RelationBytes())));
  out.clear();
  REQUIRE(debezium.Add(Change(insert), txn, out).ok());
  REQUIRE(debezium.Add(Change(remove), txn, out).ok());
  const Struct& created = out[0].value.as_struct();
  CHECK(created.Find("op")->as_string() == "c");
  CHECK(created.Find("before")->is_null());
  CHECK(created.Find("after")->as_struct().Find("id")->as_int() == 1);
  const Struct& source = created.Find("source")->as_struct();
  CHECK(source.Find("table")->as_string() == "items");
  CHECK(source.Find("txId")->as_int() == 77);
  CHECK(source.Find("lsn")->as_int() == 0x500);
  const Struct& deleted = out[1].value.as_struct();
  CHECK(deleted.Find("op")->as_string() == "d");
  CHECK(deleted.Find("before")->as_struct().Find("id")->as_int() == 1);
  CHECK(deleted.Find("after")->is_null());

  out.clear();
  REQUIRE(debezium
              .Add(std::get<TruncateMessage>(*ParsePgOutput("T" + Int(1, 4) + std::string(1, '\0') + Int(16384, 4))),
                   txn, out)
              .ok());
  REQUIRE(out.size() == 1);
  CHECK(out[0].value.as_struct().Find("op")->as_string() == "t");
  CHECK_FALSE(debezium.Add(Change("I" + Int(999, 4) + "N" + Int(0, 2)), txn, out).ok());
}

}  // namespace
}  // namespace pipeline::postgres_cdc
