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
  LanePositions committed;
  for (int i = 0; i < PQntuples(rows->get()); ++i) {
    auto position = Position::Parse(PQgetvalue(rows->get(), i, 0));
    if (!position)
      return FatalError("pipe_offsets holds '" + std::string(PQgetvalue(rows->get(), i, 0)) + "' for sink " + sink_ +
                        ", not a position");
    committed[position->lane] = *position;
  }
  positions_.Loaded(std::move(committed));
  return Status::Ok();
}

Status OffsetTable::Store(PgSession& session) {
  for (const auto& [lane, position] : positions_.noted()) {
    auto stored = session.Run(
        "INSERT INTO pipe_offsets (sink, lane, position) VALUES ($1, $2, $3) "
        "ON CONFLICT (sink, lane) DO UPDATE SET position = EXCLUDED.position",
        {sink_, Lanes::Name(lane), position.ToString()}, "table pipe_offsets");
    if (!stored.ok()) return stored.error();
  }
  return Status::Ok();
}

}  // namespace pipeline::postgres
