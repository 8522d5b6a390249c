// TableCatalog: the sink's knowledge of its target tables (name, columns), and the DDL of auto_create (CREATE
// TABLE from the first record's fields, the primary key from primary_key or the record key) and auto_evolve
// (ALTER TABLE … ADD COLUMN for fields a table lacks). Without them a missing table or column is a Config error
// that says what to change: the sink never drops a field silently.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "connectors/postgres/pg_session.h"
#include "connectors/sql_sink/row_changes.h"

namespace pipeline::postgres {

// Records as row changes are shared with the mysql sink (../sql_sink).
using sql_sink::ChangePlan;
using sql_sink::CollapseToLastPerKey;
using sql_sink::MakeRowChange;
using sql_sink::RowChange;
using sql_sink::RowRejection;
using sql_sink::WriteMode;

struct TargetTable {
  std::string name;    // as the table template rendered it, for messages
  std::string quoted;  // "schema"."table", or "table" (found through the search_path)
  bool exists = false;
  std::map<std::string, std::string> columns;  // name -> type, as format_type() spells it
};

// "a" -> "a"; "s.a" -> "s"."a" (one dot separates the schema); more dots -> one quoted name.
std::string QuotedTableName(const std::string& name);

class TableCatalog {
 public:
  TableCatalog(bool auto_create, bool auto_evolve) : auto_create_(auto_create), auto_evolve_(auto_evolve) {}

  // The table, ready for `changes`, inside the session's open transaction.
  Result<const TargetTable*> Prepare(PgSession& session, const std::string& name,
                                     const std::vector<RowChange>& changes);
  // After a rolled-back transaction: tables and columns it created are gone again, so look again.
  void Forget() { tables_.clear(); }

 private:
  Status Load(PgSession& session, TargetTable& table);
  Status Create(PgSession& session, TargetTable& table, const std::vector<RowChange>& changes);
  Status AddMissingColumns(PgSession& session, TargetTable& table, const std::vector<RowChange>& changes);

  bool auto_create_;
  bool auto_evolve_;
  std::map<std::string, TargetTable> tables_;
};

}  // namespace pipeline::postgres
