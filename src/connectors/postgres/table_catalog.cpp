#include "connectors/postgres/table_catalog.h"

#include <algorithm>
#include <set>

#include "connectors/postgres/pg_text.h"

namespace pipeline::postgres {
namespace {

using postgres_client::QuotedIdentifier;

// The type of each column the writes carry that `known` lacks, from its first non-null value, in field order.
std::vector<std::pair<std::string, std::string>> NewColumns(const std::vector<RowChange>& changes,
                                                            const std::map<std::string, std::string>& known) {
  std::vector<std::pair<std::string, std::string>> out;
  std::map<std::string, size_t> at;
  for (const auto& change : changes) {
    if (change.kind != RowChange::Kind::kWrite) continue;
    for (size_t i = 0; i < change.columns.size(); ++i) {
      const std::string& name = change.columns[i];
      if (known.count(name)) continue;
      auto [it, added] = at.emplace(name, out.size());
      if (added) out.emplace_back(name, PgColumnType(change.values[i]));
      else if (out[it->second].second == "text" && change.values[i].is_null() == false)
        out[it->second].second = PgColumnType(change.values[i]);
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

Result<const TargetTable*> TableCatalog::Prepare(PgSession& session, const std::string& name,
                                                 const std::vector<RowChange>& changes) {
  auto it = tables_.find(name);
  if (it == tables_.end()) {
    TargetTable table{name, QuotedTableName(name)};
    PIPE_RETURN_IF_ERROR(Load(session, table));
    it = tables_.emplace(name, std::move(table)).first;
  }
  TargetTable& table = it->second;
  const bool writes = std::any_of(changes.begin(), changes.end(),
                                  [](const RowChange& c) { return c.kind == RowChange::Kind::kWrite; });
  if (!table.exists) {
    if (!auto_create_)
      return ConfigError("table " + name + " does not exist in " + session.dsn().label() +
                         ": create it, or set auto_create: true");
    if (!writes) return &table;  // only deletes: nothing to delete from a table that is not there
    PIPE_RETURN_IF_ERROR(Create(session, table, changes));
  }
  PIPE_RETURN_IF_ERROR(AddMissingColumns(session, table, changes));
  return &table;
}

Status TableCatalog::Load(PgSession& session, TargetTable& table) {
  auto found = session.Run(
      "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM (SELECT to_regclass($1) AS oid) t "
      "LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped WHERE t.oid IS NOT NULL",
      {table.quoted}, "table " + table.name);
  if (!found.ok()) return found.error();
  PGresult* r = found->get();
  table.exists = PQntuples(r) > 0;
  table.columns.clear();
  for (int i = 0; i < PQntuples(r); ++i)
    if (!PQgetisnull(r, i, 0)) table.columns[PQgetvalue(r, i, 0)] = PQgetvalue(r, i, 1);
  return Status::Ok();
}

Status TableCatalog::Create(PgSession& session, TargetTable& table, const std::vector<RowChange>& changes) {
  std::string sql = "CREATE TABLE IF NOT EXISTS " + table.quoted + " (";
  const RowChange* first = nullptr;
  for (const auto& c : changes)
    if (c.kind == RowChange::Kind::kWrite && !first) first = &c;
  bool comma = false;
  for (const auto& [name, type] : NewColumns({*first}, {})) {
    sql += (comma ? ", " : "") + QuotedIdentifier(name) + " " + type;
    comma = true;
  }
  if (!first->key_columns.empty()) {
    sql += ", PRIMARY KEY (";
    for (size_t i = 0; i < first->key_columns.size(); ++i)
      sql += (i ? ", " : "") + QuotedIdentifier(first->key_columns[i]);
    sql += ")";
  }
  sql += ")";
  PIPE_RETURN_IF_ERROR(session.Exec(sql, "auto_create of table " + table.name));
  return Load(session, table);
}

Status TableCatalog::AddMissingColumns(PgSession& session, TargetTable& table,
                                       const std::vector<RowChange>& changes) {
  auto missing = NewColumns(changes, table.columns);
  if (missing.empty()) return Status::Ok();
  if (!auto_evolve_) {
    std::string names;
    for (const auto& [name, type] : missing) names += (names.empty() ? "" : ", ") + name;
    return ConfigError("table " + table.name + " has no column for the record fields " + names +
                       ": add them to the table, or set auto_evolve: true");
  }
  std::string sql = "ALTER TABLE " + table.quoted;
  for (size_t i = 0; i < missing.size(); ++i)
    sql += (i ? ", " : " ") + std::string("ADD COLUMN IF NOT EXISTS ") + QuotedIdentifier(missing[i].first) + " " +
           missing[i].second;
  PIPE_RETURN_IF_ERROR(session.Exec(sql, "auto_evolve of table " + table.name));
  for (const auto& [name, type] : missing) table.columns[name] = type;
  return Status::Ok();
}

}  // namespace pipeline::postgres
