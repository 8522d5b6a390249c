#include "connectors/postgres/table_writer.h"

#include <algorithm>
#include <tuple>
#include <map>

#include "connectors/postgres/pg_text.h"

namespace pipeline::postgres {
namespace {

using postgres_client::QuotedIdentifier;

constexpr size_t kMaxRowsPerStatement = 1000;
constexpr size_t kMaxRowsPerCopy = 10000;  // COPY takes no parameters: only the savepoint's redo bounds it
constexpr size_t kMaxParamsPerStatement = 30000;  // PostgreSQL allows 65535 parameters per statement

bool IsKey(const RowChange& row, const std::string& column) {
  return std::find(row.key_columns.begin(), row.key_columns.end(), column) != row.key_columns.end();
}

std::string ColumnList(const RowChange& row) {
  std::string out = "(";
  for (size_t i = 0; i < row.columns.size(); ++i) out += (i ? ", " : "") + QuotedIdentifier(row.columns[i]);
  return out + ")";
}

void AddParam(const Value& v, Params& params) {
  std::string text;
  if (AppendPgText(v, text)) params.emplace_back(std::move(text));
  else params.emplace_back(std::nullopt);
}

// "$n, $n+1, …" for `count` parameters after the `params` already there.
std::string Placeholders(size_t first, size_t count) {
  std::string out;
  for (size_t i = 0; i < count; ++i) out += (i ? ", $" : "$") + std::to_string(first + i + 1);
  return out;
}

std::string KeyCondition(const RowChange& row, Params& params) {
  std::string out = "(";
  const auto values = row.KeyValues();
  for (size_t i = 0; i < row.key_columns.size(); ++i) {
    out += (i ? " AND " : "") + QuotedIdentifier(row.key_columns[i]) + " = $" + std::to_string(params.size() + 1);
    AddParam(*values[i], params);
  }
  return out + ")";
}

std::string InsertSql(const TargetTable& table, const std::vector<const RowChange*>& rows, Params& params) {
  std::string sql = "INSERT INTO " + table.quoted + " " + ColumnList(*rows[0]) + " VALUES ";
  for (size_t r = 0; r < rows.size(); ++r) {
    sql += (r ? ", (" : "(") + Placeholders(params.size(), rows[r]->values.size()) + ")";
    for (const Value& v : rows[r]->values) AddParam(v, params);
  }
  return sql;
}

std::string OnConflictSql(const RowChange& row) {
  std::string sql = " ON CONFLICT (";
  for (size_t i = 0; i < row.key_columns.size(); ++i) sql += (i ? ", " : "") + QuotedIdentifier(row.key_columns[i]);
  sql += ") DO ";
  std::string set;
  for (const auto& c : row.columns)
    if (!IsKey(row, c)) set += (set.empty() ? "" : ", ") + QuotedIdentifier(c) + " = EXCLUDED." + QuotedIdentifier(c);
  return sql + (set.empty() ? "NOTHING" : "UPDATE SET " + set);
}

std::string RowsText(size_t n) { return n == 1 ? "1 row" : std::to_string(n) + " rows"; }

}  // namespace

Status TableWriter::Apply(const TargetTable& table, std::vector<RowChange> changes,
                          std::vector<RowRejection>& rejected) {
  if (!table.exists) return Status::Ok();  // only deletes for a table that is not there (auto_create)
  const Statement write = mode_ == WriteMode::kInsert   ? Statement::kCopy
                          : mode_ == WriteMode::kUpsert ? Statement::kStagedUpsert
                                                        : Statement::kUpdate;
  for (const sql_sink::ChangeRun& run : sql_sink::ChangeRuns(changes, mode_))
    PIPE_RETURN_IF_ERROR(ApplyGroup(table, run.deletes ? Statement::kDelete : write, run.rows, rejected));
  return Status::Ok();
}

Status TableWriter::ApplyGroup(const TargetTable& table, Statement statement, const Rows& rows,
                               std::vector<RowRejection>& rejected) {
  const size_t per_row = std::max<size_t>(1, rows[0]->columns.size());
  const bool copies = statement == Statement::kCopy || statement == Statement::kStagedUpsert;
  const size_t chunk =
      copies ? kMaxRowsPerCopy : std::min(kMaxRowsPerStatement, std::max<size_t>(1, kMaxParamsPerStatement / per_row));
  // The stage is created outside the savepoints, so that undoing a refused statement does not drop it.
  if (statement == Statement::kStagedUpsert) {
    auto stage = StageFor(table, *rows[0]);
    if (!stage.ok()) return stage.error();
  }
  for (size_t at = 0; at < rows.size(); at += chunk) {
    Rows part(rows.begin() + static_cast<ptrdiff_t>(at),
              rows.begin() + static_cast<ptrdiff_t>(std::min(rows.size(), at + chunk)));
    Status s = UnderSavepoint(table, statement, part, rejected);
    if (s.ok()) continue;
    if (s.error().kind() != ErrorKind::kData) return s;
    if (part.size() == 1) {
      rejected.push_back({part[0]->batch, part[0]->index, s.error()});
      continue;
    }
    // One of them is refused: each row again alone, so only the refused ones are rejected. COPY has no
    // per-row form; a row of it goes as an INSERT.
    const Statement alone = statement == Statement::kCopy           ? Statement::kInsert
                            : statement == Statement::kStagedUpsert ? Statement::kUpsert
                                                                    : statement;
    for (const RowChange* row : part) {
      Status one = UnderSavepoint(table, alone, {row}, rejected);
      if (one.ok()) continue;
      if (one.error().kind() != ErrorKind::kData) return one;
      rejected.push_back({row->batch, row->index, one.error()});
    }
  }
  return Status::Ok();
}

Status TableWriter::UnderSavepoint(const TargetTable& table, Statement statement, const Rows& rows,
                                   std::vector<RowRejection>& rejected) {
  const std::string what = "table " + table.name;
  PIPE_RETURN_IF_ERROR(session_.Exec("SAVEPOINT pipe_rows", what));
  // Rejections found inside (an update that finds no row) count only if the savepoint is kept.
  std::vector<RowRejection> found;
  Status s = Run(table, statement, rows, found);
  if (s.ok()) {
    PIPE_RETURN_IF_ERROR(session_.Exec("RELEASE SAVEPOINT pipe_rows", what));
    for (auto& r : found) rejected.push_back(std::move(r));
    return s;
  }
  if (s.error().kind() == ErrorKind::kData)
    PIPE_RETURN_IF_ERROR(session_.Exec("ROLLBACK TO SAVEPOINT pipe_rows", what));
  return s;
}

Status TableWriter::Run(const TargetTable& table, Statement statement, const Rows& rows,
                        std::vector<RowRejection>& rejected) {
  const std::string what = "table " + table.name;
  Params params;
  switch (statement) {
    case Statement::kCopy: {
      std::string data;
      std::vector<const Value*> values;
      for (const RowChange* row : rows) {
        values.clear();
        for (const Value& v : row->values) values.push_back(&v);
        AppendCopyLine(values, data);
      }
      return session_.Copy("COPY " + table.quoted + " " + ColumnList(*rows[0]) + " FROM STDIN", data,
                           what + " (COPY of " + RowsText(rows.size()) + ")");
    }
    case Statement::kInsert:
    case Statement::kUpsert: {
      std::string sql = InsertSql(table, rows, params);
      if (statement == Statement::kUpsert) sql += OnConflictSql(*rows[0]);
      return session_.Run(sql, params, what).status();
    }
    case Statement::kStagedUpsert: {
      auto stage = StageFor(table, *rows[0]);
      if (!stage.ok()) return stage.error();
      std::string data;
      std::vector<const Value*> values;
      for (const RowChange* row : rows) {
        values.clear();
        for (const Value& v : row->values) values.push_back(&v);
        AppendCopyLine(values, data);
      }
      const std::string columns = ColumnList(*rows[0]);
      PIPE_RETURN_IF_ERROR(session_.Exec("TRUNCATE " + *stage, what));
      PIPE_RETURN_IF_ERROR(session_.Copy("COPY " + *stage + " " + columns + " FROM STDIN", data,
                                         what + " (COPY of " + RowsText(rows.size()) + " to upsert)"));
      const std::string list = columns.substr(1, columns.size() - 2);
      return session_.Exec("INSERT INTO " + table.quoted + " " + columns + " SELECT " + list + " FROM " + *stage +
                               OnConflictSql(*rows[0]),
                           what);
    }
    case Statement::kDelete: {
      std::string sql = "DELETE FROM " + table.quoted + " WHERE ";
      for (size_t r = 0; r < rows.size(); ++r) sql += (r ? " OR " : "") + KeyCondition(*rows[r], params);
      return session_.Run(sql, params, what).status();
    }
    case Statement::kUpdate:
      for (const RowChange* row : rows) {
        params.clear();
        std::string set;
        for (size_t i = 0; i < row->columns.size(); ++i) {
          if (IsKey(*row, row->columns[i])) continue;
          set += (set.empty() ? "" : ", ") + QuotedIdentifier(row->columns[i]) + " = $" +
                 std::to_string(params.size() + 1);
          AddParam(row->values[i], params);
        }
        if (set.empty()) continue;  // nothing but the key: nothing to change
        auto r = session_.Run("UPDATE " + table.quoted + " SET " + set + " WHERE " + KeyCondition(*row, params),
                              params, what);
        if (!r.ok()) return r.error();
        if (std::string(PQcmdTuples(r->get())) == "0")
          rejected.push_back({row->batch, row->index, DataError(what + ": no row with this key to update")});
      }
      return Status::Ok();
  }
  return Status::Ok();
}

Result<std::string> TableWriter::StageFor(const TargetTable& table, const RowChange& row) {
  auto [it, added] = stages_.emplace(table.quoted + '\x1e' + row.signature, "");
  if (!added) return it->second;
  const std::string name = "pipe_stage_" + std::to_string(stages_.size());
  const std::string columns = ColumnList(row);
  // The target's column types without its constraints: a value the type refuses fails the COPY (class 22), a
  // constraint the INSERT; either way the rows then go one by one.
  Status created = session_.Exec("CREATE TEMPORARY TABLE " + name + " ON COMMIT DROP AS SELECT " +
                                     columns.substr(1, columns.size() - 2) + " FROM " + table.quoted + " WITH NO DATA",
                                 "table " + table.name);
  if (!created.ok()) {
    stages_.erase(it);
    return created.error();
  }
  it->second = name;
  return name;
}

}  // namespace pipeline::postgres
