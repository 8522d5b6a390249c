#include "connectors/mysql/offset_table.h"

#include <cstdio>

namespace pipeline::mysql {
namespace {

// InnoDB keys are at most 3072 bytes, 4 per utf8mb4 character: sink and lane share them.
constexpr size_t kMaxSinkChars = 300;

// FNV-1a: a stable hash (the name must be the same in every process that reads the table).
std::string StableHash(std::string_view text) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text) h = (h ^ c) * 1099511628211ull;
  char buffer[20];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(h));
  return buffer;
}

}  // namespace

OffsetTable::OffsetTable(std::string sink) : sink_(std::move(sink)) {
  if (sink_.size() > kMaxSinkChars) sink_ = sink_.substr(0, kMaxSinkChars - 18) + "#" + StableHash(sink_);
}

Status OffsetTable::Load(MysqlSession& session) {
  const std::string what = "table pipe_offsets";
  auto created = session.Exec(
      "CREATE TABLE IF NOT EXISTS pipe_offsets (sink VARCHAR(300) NOT NULL, lane VARCHAR(400) NOT NULL, "
      "position TEXT NOT NULL, PRIMARY KEY (sink, lane)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
      what);
  if (!created.ok()) return created.error();
  std::string sql = "SELECT position FROM pipe_offsets WHERE sink = ";
  session.AppendQuoted(sink_, sql);
  auto rows = session.Query(sql, what);
  if (!rows.ok()) return rows.error();
  LanePositions committed;
  for (const auto& row : *rows) {
    auto position = Position::Parse(row[0].value_or(""));
    if (!position)
      return FatalError("pipe_offsets holds '" + row[0].value_or("NULL") + "' for sink " + sink_ + ", not a position");
    committed[position->lane] = *position;
  }
  positions_.Loaded(std::move(committed));
  return Status::Ok();
}

Status OffsetTable::Store(MysqlSession& session) {
  if (positions_.noted().empty()) return Status::Ok();
  std::string sql = "INSERT INTO pipe_offsets (sink, lane, position) VALUES ";
  bool comma = false;
  for (const auto& [lane, position] : positions_.noted()) {
    sql += comma ? ", (" : "(";
    comma = true;
    session.AppendQuoted(sink_, sql);
    sql += ", ";
    session.AppendQuoted(Lanes::Name(lane), sql);
    sql += ", ";
    session.AppendQuoted(position.ToString(), sql);
    sql += ")";
  }
  sql += " ON DUPLICATE KEY UPDATE position = VALUES(position)";
  return session.Exec(sql, "table pipe_offsets").status();
}

}  // namespace pipeline::mysql
