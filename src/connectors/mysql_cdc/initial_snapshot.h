// InitialSnapshot: `snapshot: initial` — the captured tables' rows as they stand at one binlog position, read before
// the binlog is streamed from that position, so that nothing is missed and nothing comes twice.
//
// MariaDB: START TRANSACTION WITH CONSISTENT SNAPSHOT, and the binlog_snapshot_file/binlog_snapshot_position
// status variables give that transaction's binlog position without a global read lock. MySQL (without those
// variables): the documented sequence FLUSH TABLES WITH READ LOCK, START TRANSACTION WITH CONSISTENT SNAPSHOT,
// SHOW MASTER STATUS, UNLOCK TABLES. Each table is read in primary-key order, `chunk` rows per query (keyset
// pagination: WHERE (key) > (last key)); a table without a primary key in one query.
//
// Positions: every snapshot row has major = the snapshot point's packed position - 1 (below every binlog record
// after it) and minor = its index in the snapshot. A consistent snapshot dies with its connection: a run that
// stops before the whole snapshot is acknowledged reads a new one next time (at-least-once; no checkpoint is saved
// before the snapshot's end is acknowledged).
#pragma once

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "connectors/mysql_cdc/binlog_connection.h"
#include "connectors/mysql_cdc/change_records.h"
#include "core/position.h"

namespace pipeline::mysql_cdc {

class InitialSnapshot {
 public:
  using TableFilter = std::function<bool(const std::string& database, const std::string& table)>;

  static Result<std::unique_ptr<InitialSnapshot>> Begin(const MysqlDsn& dsn, const TableFilter& captured, size_t chunk);

  // Where the binlog continues after the snapshot.
  const BinlogPoint& point() const { return point_; }
  // Appends the next chunk's rows as records on `lane`; true once every table is read (the transaction is then
  // ended). Columns that held zero dates are added to `zero_dates` as db.table.column.
  Result<bool> Read(const ChangeRecords& records, LaneId lane, std::vector<Record>& out,
                    std::set<std::string>& zero_dates);

 private:
  struct Table {
    std::string database, name;
    std::vector<std::string> key;
  };

  Status FindTables(const TableFilter& captured);
  Status FindPoint();
  Status CheckFileName() const;
  std::string ChunkQuery(const Table& table) const;

  std::unique_ptr<BinlogConnection> connection_;
  BinlogPoint point_;
  size_t chunk_ = 1024;
  std::vector<Table> tables_;
  size_t current_ = 0;
  std::vector<std::string> last_key_;  // the previous chunk's last key, as quoted literals; empty: from the start
  int64_t index_ = 0;
};

}  // namespace pipeline::mysql_cdc
