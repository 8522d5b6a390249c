// MysqlSession: one Connector/C connection of the mysql sink and the statements it runs, each failure turned into
// a classified Error (mysql_errors.h) whose message names the target and never shows the password.
//
// Sessions run with time_zone '+00:00' (a timestamp is written and read in UTC), utf8mb4, a strict sql_mode (a
// value the column cannot hold is an error, never a warning and a changed value), and CLIENT_FOUND_ROWS (an UPDATE
// counts the rows it matched, not the rows it changed). Threading: one thread at a time (the sink's).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/mysql_client/mysql_dsn.h"
#include "core/result.h"

struct st_mysql;

namespace pipeline::mysql {

using mysql_client::MysqlDsn;

// Rows of a query as text; nullopt is NULL.
using TextRows = std::vector<std::vector<std::optional<std::string>>>;

class MysqlSession {
 public:
  explicit MysqlSession(MysqlDsn dsn);
  ~MysqlSession();

  // Retryable when the server cannot be reached, Config when it refuses the login or the database is missing.
  Status Connect();
  bool connected() const { return mysql_ != nullptr; }
  void Disconnect();

  // A statement without rows; how many rows it affected (matched, for UPDATE). `what` names the target.
  Result<uint64_t> Exec(std::string_view sql, const std::string& what);
  // A statement with rows, as text.
  Result<TextRows> Query(std::string_view sql, const std::string& what);

  // `text` as a quoted string literal, escaped for this connection's character set.
  void AppendQuoted(std::string_view text, std::string& out) const;

  const MysqlDsn& dsn() const { return dsn_; }

 private:
  Error Failed(const std::string& what);

  MysqlDsn dsn_;
  st_mysql* mysql_ = nullptr;
};

}  // namespace pipeline::mysql
