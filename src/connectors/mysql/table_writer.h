// TableWriter: a flush's changes for one table applied inside the sink's open transaction, in MariaDB/MySQL's
// dialect: multi-row INSERT for inserts, multi-row INSERT … ON DUPLICATE KEY UPDATE col = VALUES(col) for upserts,
// UPDATE per row, DELETE … WHERE (key) IN (…). Upserts and updates are first collapsed to the last change per key
// (../sql_sink/row_changes.h).
//
// InnoDB undoes a failed statement alone and keeps the transaction (statement atomicity): when the table refuses a
// statement for a row's sake (a data error, mysql_errors.h), its rows go again one by one, the rows refused alone
// are rejected and the others stay in the transaction. No savepoints are needed. Any other failure fails the flush.
#pragma once

#include <string>
#include <vector>

#include "connectors/mysql/mysql_session.h"
#include "connectors/mysql/table_catalog.h"
#include "connectors/sql_sink/row_changes.h"

namespace pipeline::mysql {

using sql_sink::RowRejection;
using sql_sink::WriteMode;

class TableWriter {
 public:
  TableWriter(MysqlSession& session, WriteMode mode) : session_(session), mode_(mode) {}

  Status Apply(const TargetTable& table, std::vector<RowChange> changes, std::vector<RowRejection>& rejected);

 private:
  enum class Statement { kInsert, kUpsert, kUpdate, kDelete };
  using Rows = std::vector<const RowChange*>;

  Status ApplyGroup(const TargetTable& table, Statement statement, const Rows& rows,
                    std::vector<RowRejection>& rejected);
  Status Run(const TargetTable& table, Statement statement, const Rows& rows, std::vector<RowRejection>& rejected);

  MysqlSession& session_;
  WriteMode mode_;
};

}  // namespace pipeline::mysql
