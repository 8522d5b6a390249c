// TableCatalog: the mysql sink's knowledge of its target tables (name, columns), and the DDL of auto_create
// (CREATE TABLE IF NOT EXISTS from the first record's fields, InnoDB, the primary key from primary_key or the
// record key) and auto_evolve (ALTER TABLE … ADD COLUMN for fields a table lacks). Without them a missing table or
// column is a Config error that says what to change: the sink never drops a field silently.
//
// MySQL commits the open transaction before any DDL, so the sink prepares its tables before it starts the flush's
// transaction (a table created for a flush that then fails stays, empty or evolved: harmless).
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "connectors/mysql/mysql_session.h"
#include "connectors/sql_sink/row_changes.h"

namespace pipeline::mysql {

using sql_sink::RowChange;

struct TargetTable {
  std::string name;    // as the table template rendered it, for messages
  std::string quoted;  // `database`.`table`, or `table` (in the dsn's database)
  bool exists = false;
  std::set<std::string> columns;                   // lower case: MySQL's column names are case-insensitive
  std::vector<std::set<std::string>> unique_keys;  // the primary key's and each unique index's columns, lower case
};

// "a" -> `a`; "d.a" -> `d`.`a` (one dot separates the database); more dots -> one quoted name.
std::string QuotedTableName(const std::string& name);

class TableCatalog {
 public:
  // `upsert`: the key columns must be the table's primary key or a unique index, or ON DUPLICATE KEY UPDATE would
  // never find the row and every upsert would be a new row.
  TableCatalog(bool auto_create, bool auto_evolve, bool upsert)
      : auto_create_(auto_create), auto_evolve_(auto_evolve), upsert_(upsert) {}

  // The table, ready for `changes` (outside a transaction: DDL commits).
  Result<const TargetTable*> Prepare(MysqlSession& session, const std::string& name,
                                     const std::vector<RowChange>& changes);
  // After a reconnect: look at the tables again.
  void Forget() { tables_.clear(); }

 private:
  Status Load(MysqlSession& session, TargetTable& table);
  Status Create(MysqlSession& session, TargetTable& table, const std::vector<RowChange>& changes);
  Status AddMissingColumns(MysqlSession& session, TargetTable& table, const std::vector<RowChange>& changes);
  Status CheckUniqueKey(const TargetTable& table, const std::vector<RowChange>& changes) const;

  bool auto_create_;
  bool auto_evolve_;
  bool upsert_;
  std::map<std::string, TargetTable> tables_;
};

}  // namespace pipeline::mysql
