#include "connectors/mysql/table_catalog.h"

#include <algorithm>
#include <cctype>

#include "connectors/mysql/mysql_text.h"

namespace pipeline::mysql {
namespace {

// MySQL's column names are case-insensitive: `Name` is the column `name`.
std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool IsKey(const RowChange& row, const std::string& column) {
  return std::find(row.key_columns.begin(), row.key_columns.end(), column) != row.key_columns.end();
}

// The type of each column the writes carry that `known` lacks, from its first non-null value, in field order.
std::vector<std::pair<std::string, std::string>> NewColumns(const std::vector<RowChange>& changes,
                                                            const std::set<std::string>& known) {
  std::vector<std::pair<std::string, std::string>> out;
  std::map<std::string, size_t> at;
  std::set<std::string> typed;  // columns typed from a non-null value
  for (const auto& change : changes) {
    if (change.kind != RowChange::Kind::kWrite) continue;
    for (size_t i = 0; i < change.columns.size(); ++i) {
      const std::string& name = change.columns[i];
      if (known.count(Lower(name))) continue;
      auto [it, added] = at.emplace(name, out.size());
      if (added) out.emplace_back(name, MysqlColumnType(change.values[i], IsKey(change, name)));
      if (!change.values[i].is_null() && typed.insert(name).second)
        out[it->second].second = MysqlColumnType(change.values[i], IsKey(change, name));
    }
  }
  return out;
}

}  // namespace

std::string QuotedTableName(const std::string& name) {
  const size_t dot = name.find('.');
  if (dot == std::string::npos || name.find('.', dot + 1) != std::string::npos) return QuotedIdentifier(name);
  return QuotedIdentifier(name.substr(0, dot)) + "." + QuotedIdentifier(name.substr(dot + 1));
}

Result<const TargetTable*> TableCatalog::Prepare(MysqlSession& session, const std::string& name,
                                                 const std::vector<RowChange>& changes) {
  auto it = tables_.find(name);
  if (it == tables_.end()) {
    TargetTable table{name, QuotedTableName(name)};
    PIPE_RETURN_IF_ERROR(Load(session, table));
    it = tables_.emplace(name, std::move(table)).first;
  }
  TargetTable& table = it->second;
  const bool writes =
      std::any_of(changes.begin(), changes.end(), [](const RowChange& c) { return c.kind == RowChange::Kind::kWrite; });
  if (!table.exists) {
    if (!auto_create_)
      return ConfigError("table " + name + " does not exist in " + session.dsn().label() +
                         ": create it, or set auto_create: true");
    if (!writes) return &table;  // only deletes: nothing to delete from a table that is not there
    PIPE_RETURN_IF_ERROR(Create(session, table, changes));
  }
  PIPE_RETURN_IF_ERROR(AddMissingColumns(session, table, changes));
  PIPE_RETURN_IF_ERROR(CheckUniqueKey(table, changes));
  return &table;
}

Status TableCatalog::Load(MysqlSession& session, TargetTable& table) {
  const size_t dot = table.name.find('.');
  const bool qualified = dot != std::string::npos && table.name.find('.', dot + 1) == std::string::npos;
  std::string sql = "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ";
  if (qualified)
    session.AppendQuoted(table.name.substr(0, dot), sql);
  else
    sql += "DATABASE()";
  sql += " AND TABLE_NAME = ";
  session.AppendQuoted(qualified ? table.name.substr(dot + 1) : table.name, sql);
  auto rows = session.Query(sql, "table " + table.name);
  if (!rows.ok()) return rows.error();
  table.exists = !rows->empty();
  table.columns.clear();
  for (const auto& row : *rows)
    if (row[0]) table.columns.insert(Lower(*row[0]));
  // The unique indexes (the primary key among them): the same schema and table condition.
  const size_t where = sql.find(" WHERE ");
  auto keys = session.Query("SELECT INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS" + sql.substr(where) +
                                " AND NON_UNIQUE = 0 ORDER BY INDEX_NAME, SEQ_IN_INDEX",
                            "table " + table.name);
  if (!keys.ok()) return keys.error();
  table.unique_keys.clear();
  std::string index;
  for (const auto& row : *keys) {
    if (!row[0] || !row[1]) continue;
    if (table.unique_keys.empty() || *row[0] != index) table.unique_keys.emplace_back();
    index = *row[0];
    table.unique_keys.back().insert(Lower(*row[1]));
  }
  return Status::Ok();
}

Status TableCatalog::Create(MysqlSession& session, TargetTable& table, const std::vector<RowChange>& changes) {
  const RowChange* first = nullptr;
  for (const auto& c : changes)
    if (c.kind == RowChange::Kind::kWrite && !first) first = &c;
  std::string sql = "CREATE TABLE IF NOT EXISTS " + table.quoted + " (";
  bool comma = false;
  for (const auto& [name, type] : NewColumns({*first}, {})) {
    sql += (comma ? ", " : "") + QuotedIdentifier(name) + " " + type + (IsKey(*first, name) ? " NOT NULL" : "");
    comma = true;
  }
  if (!first->key_columns.empty()) {
    sql += ", PRIMARY KEY (";
    for (size_t i = 0; i < first->key_columns.size(); ++i)
      sql += (i ? ", " : "") + QuotedIdentifier(first->key_columns[i]);
    sql += ")";
  }
  sql += ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
  auto created = session.Exec(sql, "auto_create of table " + table.name);
  if (!created.ok()) return created.error();
  return Load(session, table);
}

Status TableCatalog::CheckUniqueKey(const TargetTable& table, const std::vector<RowChange>& changes) const {
  if (!upsert_) return Status::Ok();
  for (const auto& change : changes) {
    if (change.kind != RowChange::Kind::kWrite) continue;
    std::set<std::string> key;
    for (const auto& name : change.key_columns) key.insert(Lower(name));
    for (const auto& unique : table.unique_keys)
      if (unique == key) return Status::Ok();
    std::string names;
    for (const auto& name : change.key_columns) names += (names.empty() ? "" : ", ") + name;
    return ConfigError("table " + table.name + " has no primary key or unique index on (" + names +
                       "): upsert needs one (ON DUPLICATE KEY UPDATE finds the row by it); add it, or set "
                       "primary_key to the columns of one");
  }
  return Status::Ok();
}

Status TableCatalog::AddMissingColumns(MysqlSession& session, TargetTable& table,
                                       const std::vector<RowChange>& changes) {
  auto missing = NewColumns(changes, table.columns);
  if (missing.empty()) return Status::Ok();
  if (!auto_evolve_) {
    std::string names;
    for (const auto& [name, type] : missing) names += (names.empty() ? "" : ", ") + name;
    return ConfigError("table " + table.name + " has no column for the record fields " + names +
                       ": add them to the table, or set auto_evolve: true");
  }
  // Not MariaDB's ADD COLUMN IF NOT EXISTS, which MySQL lacks: the columns were just read, and a column another
  // writer added since fails the ALTER (error 1060), which a retried flush reads again.
  std::string sql = "ALTER TABLE " + table.quoted;
  for (size_t i = 0; i < missing.size(); ++i)
    sql += (i ? ", " : " ") + std::string("ADD COLUMN ") + QuotedIdentifier(missing[i].first) + " " + missing[i].second;
  auto altered = session.Exec(sql, "auto_evolve of table " + table.name);
  if (!altered.ok()) return altered.error();
  for (const auto& [name, type] : missing) table.columns.insert(Lower(name));
  return Status::Ok();
}

}  // namespace pipeline::mysql
