#include "connectors/postgres_cdc/initial_snapshot.h"

#include <algorithm>
#include <chrono>

namespace pipeline::postgres_cdc {
namespace {

// A string literal for SQL (standard_conforming_strings is on since PostgreSQL 9.1).
std::string Literal(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

const std::string& Text(const Tuple& row, size_t i) { return row.at(i).text; }

}  // namespace

// The tables named, or else the publication's, in one order.
std::string InitialSnapshot::TablesQuery() const {
  const std::string columns = "SELECT c.oid, n.nspname, c.relname, format('%I.%I', n.nspname, c.relname) FROM ";
  if (listed_names_.empty())
    return columns +
           "pg_publication_tables p JOIN pg_namespace n ON n.nspname = p.schemaname JOIN pg_class c ON "
           "c.relnamespace = n.oid AND c.relname = p.tablename WHERE p.pubname = " +
           Literal(publication_) + " ORDER BY 2, 3";
  std::string names;
  for (const std::string& name : listed_names_) names += (names.empty() ? "" : ", ") + Literal(name);
  return columns + "pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname || '.' || c.relname IN (" +
         names + ") ORDER BY 2, 3";
}

Status InitialSnapshot::ListTables(ReplicationStream& stream) {
  auto rows = stream.Query(TablesQuery());
  if (!rows.ok()) return rows.error();
  for (const Tuple& row : rows->rows)
    tables_.push_back({static_cast<Oid>(std::stoul(Text(row, 0))), Text(row, 1), Text(row, 2), Text(row, 3)});
  for (const std::string& name : listed_names_) {
    bool found = std::any_of(tables_.begin(), tables_.end(), [&](const Table& t) { return t.schema + "." + t.name == name; });
    if (!found) return ConfigError("table '" + name + "' does not exist (or the user may not see it)");
  }
  listed_ = true;
  return Status::Ok();
}

Status InitialSnapshot::OpenCursor(ReplicationStream& stream) {
  const Table& table = tables_[current_];
  auto keys = stream.Query(
      "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND "
      "a.attnum = ANY(i.indkey) WHERE i.indisprimary AND i.indrelid = " +
      std::to_string(table.relation));
  if (!keys.ok()) return keys.error();
  key_columns_.clear();
  for (const Tuple& row : keys->rows) key_columns_.push_back(Text(row, 0));
  auto declared = stream.Query("DECLARE pipe_snapshot NO SCROLL CURSOR FOR SELECT * FROM " + table.quoted);
  if (!declared.ok()) return declared.error();
  cursor_open_ = true;
  relation_known_ = false;
  return Status::Ok();
}

Result<bool> InitialSnapshot::Read(ReplicationStream& stream, ChangeRecords& records, LaneId lane, Batch& out) {
  if (!listed_) PIPE_RETURN_IF_ERROR(ListTables(stream));
  if (current_ == tables_.size()) return true;
  if (!cursor_open_) PIPE_RETURN_IF_ERROR(OpenCursor(stream));
  const Table& table = tables_[current_];
  auto chunk = stream.Query("FETCH " + std::to_string(chunk_) + " FROM pipe_snapshot");
  if (!chunk.ok()) return chunk.error();
  if (!relation_known_) {
    // The same shape a relation message gives, under the same OID: the streamed changes replace it later.
    RelationMessage relation{table.relation, table.schema, table.name, 'd', chunk->columns};
    for (auto& column : relation.columns)
      column.key = std::find(key_columns_.begin(), key_columns_.end(), column.name) != key_columns_.end();
    records.AddRelation(std::move(relation));
    relation_known_ = true;
  }
  const auto now = ToPgTimestamp(std::chrono::system_clock::now());
  const TransactionInfo txn{stream.consistent_point(), now, 0};
  const size_t first = out.records.size();
  for (const Tuple& row : chunk->rows)
    PIPE_RETURN_IF_ERROR(records.AddSnapshotRow(table.relation, row, txn, out.records));
  for (size_t i = first; i < out.records.size(); ++i)
    out.records[i].position = {lane, static_cast<int64_t>(stream.consistent_point()) - 1, index_++};
  if (chunk->rows.size() < chunk_) {
    auto closed = stream.Query("CLOSE pipe_snapshot");
    if (!closed.ok()) return closed.error();
    cursor_open_ = false;
    ++current_;
  }
  return current_ == tables_.size();
}

}  // namespace pipeline::postgres_cdc
