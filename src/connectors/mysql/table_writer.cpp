#include "connectors/mysql/table_writer.h"

#include <algorithm>
#include <tuple>

#include "connectors/mysql/mysql_text.h"

namespace pipeline::mysql {
namespace {

using sql_sink::CollapseToLastPerKey;

// A statement stays well below max_allowed_packet (16 MiB on MariaDB 10.11, 64 MiB on MySQL 8).
constexpr size_t kMaxStatementBytes = 4 << 20;
constexpr size_t kMaxRowsPerStatement = 5000;

bool IsKey(const RowChange& row, const std::string& column) {
  return std::find(row.key_columns.begin(), row.key_columns.end(), column) != row.key_columns.end();
}

std::string ColumnList(const std::vector<std::string>& columns) {
  std::string out = "(";
  for (size_t i = 0; i < columns.size(); ++i) out += (i ? ", " : "") + QuotedIdentifier(columns[i]);
  return out + ")";
}

// "(v1, v2, …)" for `values`.
void AppendTuple(const std::vector<const Value*>& values, const MysqlSession& session, std::string& sql) {
  sql += '(';
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) sql += ", ";
    AppendLiteral(*values[i], session, sql);
  }
  sql += ')';
}

std::vector<const Value*> AllValues(const RowChange& row) {
  std::vector<const Value*> out;
  for (const Value& v : row.values) out.push_back(&v);
  return out;
}

std::string OnDuplicateKeySql(const RowChange& row) {
  std::string set;
  for (const auto& c : row.columns)
    if (!IsKey(row, c))
      set += (set.empty() ? "" : ", ") + QuotedIdentifier(c) + " = VALUES(" + QuotedIdentifier(c) + ")";
  // Nothing but the key: the row's existence is the whole change (a no-op assignment, not INSERT IGNORE, which
  // would turn data errors into warnings).
  if (set.empty()) set = QuotedIdentifier(row.key_columns[0]) + " = " + QuotedIdentifier(row.key_columns[0]);
  return " ON DUPLICATE KEY UPDATE " + set;
}

std::string KeyCondition(const RowChange& row, const MysqlSession& session) {
  std::string out;
  const auto values = row.KeyValues();
  for (size_t i = 0; i < row.key_columns.size(); ++i) {
    out += (i ? " AND " : "") + QuotedIdentifier(row.key_columns[i]) + " = ";
    AppendLiteral(*values[i], session, out);
  }
  return out;
}

size_t ApproximateLiteralBytes(const RowChange& row) {
  size_t n = 16;
  for (const Value& v : row.values)
    n += v.is_string() ? 2 * v.as_string().size() + 4 : v.is_bytes() ? 2 * v.as_bytes().data.size() + 4 : 24;
  return n;
}

}  // namespace

Status TableWriter::Apply(const TargetTable& table, std::vector<RowChange> changes,
                          std::vector<RowRejection>& rejected) {
  if (!table.exists) return Status::Ok();  // only deletes for a table that is not there (auto_create)
  const Statement write = mode_ == WriteMode::kInsert   ? Statement::kInsert
                          : mode_ == WriteMode::kUpsert ? Statement::kUpsert
                                                        : Statement::kUpdate;
  for (const sql_sink::ChangeRun& run : sql_sink::ChangeRuns(changes, mode_))
    PIPE_RETURN_IF_ERROR(ApplyGroup(table, run.deletes ? Statement::kDelete : write, run.rows, rejected));
  return Status::Ok();
}

Status TableWriter::ApplyGroup(const TargetTable& table, Statement statement, const Rows& rows,
                               std::vector<RowRejection>& rejected) {
  for (size_t at = 0; at < rows.size();) {
    // As many rows as fit one statement.
    size_t end = at, bytes = 0;
    // An UPDATE is one statement per row: a row's rejection (no such row) is then reported once.
    const size_t max_rows = statement == Statement::kUpdate ? 1 : kMaxRowsPerStatement;
    while (end < rows.size() && end - at < max_rows && (end == at || bytes < kMaxStatementBytes))
      bytes += ApproximateLiteralBytes(*rows[end++]);
    Rows part(rows.begin() + static_cast<ptrdiff_t>(at), rows.begin() + static_cast<ptrdiff_t>(end));
    at = end;
    Status s = Run(table, statement, part, rejected);
    if (s.ok()) continue;
    if (s.error().kind() != ErrorKind::kData) return s;
    if (part.size() == 1) {
      rejected.push_back({part[0]->batch, part[0]->index, s.error()});
      continue;
    }
    // The statement was undone; one of its rows is refused: each row again alone, so only the refused ones are
    // rejected.
    for (const RowChange* row : part) {
      Status one = Run(table, statement, {row}, rejected);
      if (one.ok()) continue;
      if (one.error().kind() != ErrorKind::kData) return one;
      rejected.push_back({row->batch, row->index, one.error()});
    }
  }
  return Status::Ok();
}

Status TableWriter::Run(const TargetTable& table, Statement statement, const Rows& rows,
                        std::vector<RowRejection>& rejected) {
  const std::string what = "table " + table.name;
  std::string sql;
  switch (statement) {
    case Statement::kInsert:
    case Statement::kUpsert: {
      sql = "INSERT INTO " + table.quoted + " " + ColumnList(rows[0]->columns) + " VALUES ";
      for (size_t r = 0; r < rows.size(); ++r) {
        if (r) sql += ", ";
        AppendTuple(AllValues(*rows[r]), session_, sql);
      }
      if (statement == Statement::kUpsert) sql += OnDuplicateKeySql(*rows[0]);
      return session_.Exec(sql, what).status();
    }
    case Statement::kDelete: {
      sql = "DELETE FROM " + table.quoted + " WHERE " + ColumnList(rows[0]->key_columns) + " IN (";
      for (size_t r = 0; r < rows.size(); ++r) {
        if (r) sql += ", ";
        AppendTuple(rows[r]->KeyValues(), session_, sql);
      }
      sql += ")";
      return session_.Exec(sql, what).status();
    }
    case Statement::kUpdate:
      for (const RowChange* row : rows) {
        std::string set;
        for (size_t i = 0; i < row->columns.size(); ++i) {
          if (IsKey(*row, row->columns[i])) continue;
          set += (set.empty() ? "" : ", ") + QuotedIdentifier(row->columns[i]) + " = ";
          AppendLiteral(row->values[i], session_, set);
        }
        if (set.empty()) continue;  // nothing but the key: nothing to change
        auto matched =
            session_.Exec("UPDATE " + table.quoted + " SET " + set + " WHERE " + KeyCondition(*row, session_), what);
        if (!matched.ok()) return matched.error();
        if (*matched == 0)
          rejected.push_back({row->batch, row->index, DataError(what + ": no row with this key to update")});
      }
      return Status::Ok();
  }
  return Status::Ok();
}

}  // namespace pipeline::mysql
