// OffsetTable: `exactly_once: true`. The `pipe_offsets` table holds, per sink (its name and the state dir, whose
// source checkpoints the positions belong to) and source lane, the position of
// the last record the sink committed; each flush writes it in the same transaction as the rows. After a restart
// the sink skips records at or below the stored position of their lane, so a replayed record is written once
// even in insert mode (the source's positions must be stable, as a file's or a Kafka partition's are).
#pragma once

#include <string>

#include "connectors/postgres/pg_session.h"
#include "connectors/sql_sink/written_positions.h"
#include "core/position.h"

namespace pipeline::postgres {

class OffsetTable {
 public:
  explicit OffsetTable(std::string sink) : sink_(std::move(sink)) {}

  // Creates the table when missing and reads this sink's positions.
  Status Load(PgSession& session);
  // True when the record at `position` was committed by an earlier flush.
  bool Committed(const Position& position) const { return positions_.Committed(position); }
  // Notes `position` as written by the flush under way.
  void Note(const Position& position) { positions_.Note(position); }
  // Writes the noted positions, inside the flush's transaction.
  Status Store(PgSession& session);
  // The flush committed (true) or was rolled back (false).
  void Finish(bool committed) { positions_.Finish(committed); }

 private:
  std::string sink_;
  sql_sink::WrittenPositions positions_;
};

}  // namespace pipeline::postgres
