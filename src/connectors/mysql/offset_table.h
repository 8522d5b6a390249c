// OffsetTable: `exactly_once: true` in MariaDB/MySQL. The `pipe_offsets` table (InnoDB) holds, per sink (its name
// and the state dir, whose source checkpoints the positions belong to) and source lane, the position of the last
// record the sink committed; each flush writes it in the same transaction as the rows. The bookkeeping (what is
// committed, what the flush under way writes) is ../sql_sink/written_positions.h, shared with the postgres sink.
#pragma once

#include <string>

#include "connectors/mysql/mysql_session.h"
#include "connectors/sql_sink/written_positions.h"

namespace pipeline::mysql {

class OffsetTable {
 public:
  // `sink` longer than the table's key column allows is shortened with a hash of the rest.
  explicit OffsetTable(std::string sink);

  // Creates the table when missing and reads this sink's positions.
  Status Load(MysqlSession& session);
  sql_sink::WrittenPositions& positions() { return positions_; }
  // Writes the noted positions, inside the flush's transaction.
  Status Store(MysqlSession& session);

  const std::string& sink() const { return sink_; }

 private:
  std::string sink_;
  sql_sink::WrittenPositions positions_;
};

}  // namespace pipeline::mysql
