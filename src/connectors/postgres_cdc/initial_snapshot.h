// InitialSnapshot: `snapshot: initial`. Reads every table of the publication inside the slot's own snapshot (the
// REPEATABLE READ transaction the slot was created in, USE_SNAPSHOT), through a cursor, one chunk per call, so
// memory stays bounded. The rows are exactly the database as of the slot's consistent point, and streaming
// starts there: no change is missed and none is read twice.
//
// Positions: (consistent point - 1, index of the row in the snapshot), below every streamed transaction's commit
// LSN. The snapshot's batches carry no progress; the position-only batch after the last one carries the
// consistent point, so a checkpoint exists only once every snapshot row was acknowledged.
#pragma once

#include <string>
#include <vector>

#include "connectors/postgres_cdc/change_records.h"
#include "connectors/postgres_cdc/replication_stream.h"

namespace pipeline::postgres_cdc {

class InitialSnapshot {
 public:
  // `tables` ("schema.table", as the catalog spells them): read those; empty: the publication's tables.
  InitialSnapshot(std::string publication, std::vector<std::string> tables, size_t chunk)
      : publication_(std::move(publication)), listed_names_(std::move(tables)), chunk_(chunk) {}

  // Appends the next rows to `out` (positions set); returns true once every table was read.
  Result<bool> Read(ReplicationStream& stream, ChangeRecords& records, LaneId lane, Batch& out);

 private:
  struct Table {
    Oid relation = 0;
    std::string schema;
    std::string name;
    std::string quoted;  // "schema"."name" as the server quotes it
  };

  std::string TablesQuery() const;
  Status ListTables(ReplicationStream& stream);
  Status OpenCursor(ReplicationStream& stream);

  std::string publication_;
  std::vector<std::string> listed_names_;
  size_t chunk_;
  bool listed_ = false;
  std::vector<Table> tables_;
  size_t current_ = 0;
  bool cursor_open_ = false;
  bool relation_known_ = false;
  std::vector<std::string> key_columns_;
  int64_t index_ = 0;
};

}  // namespace pipeline::postgres_cdc
