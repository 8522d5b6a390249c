#include "connectors/mysql_cdc/initial_snapshot.h"

#include <chrono>

#include "connectors/mysql_cdc/mysql_cdc_source.h"
#include "connectors/mysql_cdc/snapshot_value.h"

namespace pipeline::mysql_cdc {
namespace {

std::string Identifier(const std::string& name) {
  std::string out = "`";
  for (char c : name) out += c == '`' ? std::string("``") : std::string(1, c);
  return out + "`";
}

std::string List(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ", ") + item;
  return out;
}

}  // namespace

Result<std::unique_ptr<InitialSnapshot>> InitialSnapshot::Begin(const MysqlDsn& dsn, const TableFilter& captured,
                                                                size_t chunk) {
  auto connection = BinlogConnection::Open(dsn);
  if (!connection.ok()) return connection.error();
  std::unique_ptr<InitialSnapshot> snapshot(new InitialSnapshot());
  snapshot->connection_ = std::move(connection).value();
  snapshot->chunk_ = chunk;
  for (const char* setup : {"SET SESSION time_zone = '+00:00'", "SET NAMES utf8mb4",
                            "SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ"}) {
    auto done = snapshot->connection_->Query(setup);
    if (!done.ok()) return done.error();
  }
  PIPE_RETURN_IF_ERROR(snapshot->FindPoint());
  PIPE_RETURN_IF_ERROR(snapshot->FindTables(captured));
  return snapshot;
}

Status InitialSnapshot::FindPoint() {
  auto run = [&](const char* sql) { return connection_->Query(sql); };
  auto started = run("START TRANSACTION WITH CONSISTENT SNAPSHOT");
  if (!started.ok()) return started.error();
  auto status = run("SHOW STATUS LIKE 'binlog_snapshot_%'");
  if (!status.ok()) return status.error();
  for (const auto& row : status->rows) {
    if (row.size() < 2 || !row[0] || !row[1]) continue;
    if (*row[0] == "binlog_snapshot_file") point_.file = *row[1];
    if (*row[0] == "binlog_snapshot_position") point_.offset = static_cast<uint32_t>(std::stoul(*row[1]));
  }
  if (!point_.file.empty()) return CheckFileName();
  // MySQL: a global read lock held only while the transaction starts and the position is read.
  for (const char* sql : {"ROLLBACK", "FLUSH TABLES WITH READ LOCK", "START TRANSACTION WITH CONSISTENT SNAPSHOT"}) {
    auto done = run(sql);
    if (!done.ok()) return done.error();
  }
  auto end = connection_->EndOfBinlog();
  auto unlocked = run("UNLOCK TABLES");
  if (!end.ok()) return end.error();
  if (!unlocked.ok()) return unlocked.error();
  point_ = *end;
  return CheckFileName();
}

Status InitialSnapshot::CheckFileName() const {
  if (FileNumberOf(point_.file)) return Status::Ok();
  return FatalError("binlog file name '" + point_.file + "' does not end in a number");
}

Status InitialSnapshot::FindTables(const TableFilter& captured) {
  auto tables = connection_->Query(
      "SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE' AND "
      "TABLE_SCHEMA NOT IN ('mysql', 'information_schema', 'performance_schema', 'sys') ORDER BY 1, 2");
  if (!tables.ok()) return tables.error();
  for (const auto& row : tables->rows) {
    if (!row[0] || !row[1] || !captured(*row[0], *row[1])) continue;
    Table table{*row[0], *row[1], {}};
    auto key = connection_->Query(
        "SELECT COLUMN_NAME FROM information_schema.KEY_COLUMN_USAGE WHERE CONSTRAINT_NAME = 'PRIMARY' AND "
        "TABLE_SCHEMA = " +
        connection_->Quote(table.database) + " AND TABLE_NAME = " + connection_->Quote(table.name) +
        " ORDER BY ORDINAL_POSITION");
    if (!key.ok()) return key.error();
    for (const auto& k : key->rows)
      if (k[0]) table.key.push_back(*k[0]);
    tables_.push_back(std::move(table));
  }
  return Status::Ok();
}

std::string InitialSnapshot::ChunkQuery(const Table& table) const {
  std::string sql = "SELECT * FROM " + Identifier(table.database) + "." + Identifier(table.name);
  if (table.key.empty()) return sql;
  std::vector<std::string> key;
  for (const std::string& column : table.key) key.push_back(Identifier(column));
  if (!last_key_.empty()) sql += " WHERE (" + List(key) + ") > (" + List(last_key_) + ")";
  return sql + " ORDER BY " + List(key) + " LIMIT " + std::to_string(chunk_);
}

Result<bool> InitialSnapshot::Read(const ChangeRecords& records, LaneId lane, std::vector<Record>& out,
                                   std::set<std::string>& zero_dates) {
  if (current_ >= tables_.size()) {
    auto committed = connection_->Query("COMMIT");
    if (!committed.ok()) return committed.error();
    return true;
  }
  const Table& table = tables_[current_];
  auto chunk = connection_->Query(ChunkQuery(table));
  if (!chunk.ok()) return chunk.error();
  TableMap map;
  map.database = table.database;
  map.table = table.name;
  std::vector<size_t> key_at;
  for (size_t i = 0; i < chunk->columns.size(); ++i) {
    map.columns.push_back({.name = chunk->columns[i].name});
    for (size_t k = 0; k < table.key.size(); ++k)
      if (table.key[k] == chunk->columns[i].name) key_at.resize(table.key.size()), key_at[k] = i;
  }
  map.key_columns = key_at;
  const CapturedTable captured = records.Describe(std::move(map));
  std::vector<RowImage> images;
  for (const auto& row : chunk->rows) {
    RowImage& image = images.emplace_back(row.size());
    for (size_t i = 0; i < row.size(); ++i) {
      if (!row[i]) continue;
      bool zero_date = false;
      image[i] = SnapshotValue(chunk->columns[i], *row[i], zero_date);
      if (zero_date) zero_dates.insert(table.database + "." + table.name + "." + chunk->columns[i].name);
    }
  }
  ChangeOrigin origin{.file = point_.file, .transaction_offset = point_.offset, .snapshot = true};
  origin.ts_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  const size_t first = out.size();
  records.Add(captured, RowsKind::kWrite, images, origin, out);
  const int64_t major = PackPosition(*FileNumberOf(point_.file), point_.offset) - 1;
  for (size_t i = first; i < out.size(); ++i) out[i].position = {lane, major, index_++};
  const bool table_done = table.key.empty() || chunk->rows.size() < chunk_;
  if (table_done) {
    ++current_;
    last_key_.clear();
  } else {
    last_key_.clear();
    for (size_t k : key_at) last_key_.push_back(connection_->Quote(*chunk->rows.back()[k]));
  }
  return false;
}

}  // namespace pipeline::mysql_cdc
