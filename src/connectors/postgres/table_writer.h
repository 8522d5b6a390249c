// TableWriter: a flush's changes for one table applied inside the sink's open transaction, in PostgreSQL's
// dialect: COPY (text format) for inserts, COPY into a temporary table and one INSERT … SELECT … ON CONFLICT (key)
// DO UPDATE for upserts, UPDATE per row, DELETE by key. Upserts and updates are first collapsed to the last change per key (row_changes.h).
//
// Each statement runs under a savepoint. When the table refuses it for a row's sake (SQLSTATE class 22 or 23),
// the statement is undone and its rows go again one by one, each under its own savepoint: the rows refused
// alone are rejected, the others stay in the transaction. Any other failure fails the flush.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "connectors/postgres/pg_session.h"
#include "connectors/sql_sink/row_changes.h"
#include "connectors/postgres/table_catalog.h"

namespace pipeline::postgres {

class TableWriter {
 public:
  TableWriter(PgSession& session, WriteMode mode) : session_(session), mode_(mode) {}

  Status Apply(const TargetTable& table, std::vector<RowChange> changes, std::vector<RowRejection>& rejected);

 private:
  // kStagedUpsert: COPY into a temporary table, then one INSERT … SELECT … ON CONFLICT from it — the fast path of
  // many upserts; one row alone goes as kUpsert, a multi-row INSERT with parameters.
  enum class Statement { kCopy, kInsert, kUpsert, kStagedUpsert, kUpdate, kDelete };
  using Rows = std::vector<const RowChange*>;

  Status ApplyGroup(const TargetTable& table, Statement statement, const Rows& rows,
                    std::vector<RowRejection>& rejected);
  // Runs the statement for `rows` under a savepoint; a row-data failure is returned after rolling back to it.
  Status UnderSavepoint(const TargetTable& table, Statement statement, const Rows& rows,
                        std::vector<RowRejection>& rejected);
  Status Run(const TargetTable& table, Statement statement, const Rows& rows, std::vector<RowRejection>& rejected);

  // The temporary table (ON COMMIT DROP) that stages upserts of `row`'s columns into `table`, created on first use.
  Result<std::string> StageFor(const TargetTable& table, const RowChange& row);

  PgSession& session_;
  WriteMode mode_;
  std::map<std::string, std::string> stages_;  // table and column signature -> temporary table
};

}  // namespace pipeline::postgres
