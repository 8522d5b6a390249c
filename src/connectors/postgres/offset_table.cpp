#include "connectors/postgres/offset_table.h"

namespace pipeline::postgres {

Status OffsetTable::Load(PgSession& session) {
  const std::string what = "table pipe_offsets";
  PIPE_RETURN_IF_ERROR(session.Exec(
      "CREATE TABLE IF NOT EXISTS pipe_offsets (sink text NOT NULL, lane text NOT NULL, position text NOT NULL, "
      "PRIMARY KEY (sink, lane))",
      what));
  auto rows = session.Run("SELECT position FROM pipe_offsets WHERE sink = $1", {sink_}, what);
  if (!rows.ok()) return rows.error();
  committed_.clear();
  for (int i = 0; i < PQntuples(rows->get()); ++i) {
    auto position = Position::Parse(PQgetvalue(rows->get(), i, 0));
    if (!position)
      return FatalError("pipe_offsets holds '" + std::string(PQgetvalue(rows->get(), i, 0)) + "' for sink " + sink_ +
                        ", not a position");
    committed_[position->lane] = *position;
  }
  return Status::Ok();
}

bool OffsetTable::Committed(const Position& position) const {
  if (!position.valid()) return false;  // a record without a position is never taken for a repeat
  auto it = committed_.find(position.lane);
  return it != committed_.end() && position <= it->second;
}

void OffsetTable::Note(const Position& position) {
  if (!position.valid()) return;
  auto [it, added] = noted_.emplace(position.lane, position);
  if (!added && it->second < position) it->second = position;
}

Status OffsetTable::Store(PgSession& session) {
  for (const auto& [lane, position] : noted_) {
    auto stored = session.Run(
        "INSERT INTO pipe_offsets (sink, lane, position) VALUES ($1, $2, $3) "
        "ON CONFLICT (sink, lane) DO UPDATE SET position = EXCLUDED.position",
        {sink_, Lanes::Name(lane), position.ToString()}, "table pipe_offsets");
    if (!stored.ok()) return stored.error();
  }
  return Status::Ok();
}

void OffsetTable::Finish(bool committed) {
  if (committed)
    for (const auto& [lane, position] : noted_) committed_[lane] = std::max(committed_[lane], position);
  noted_.clear();
}

}  // namespace pipeline::postgres
