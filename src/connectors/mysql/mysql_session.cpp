#include "connectors/mysql/mysql_session.h"

#include <errmsg.h>
#include <mysql.h>

#include "connectors/mysql/mysql_errors.h"
#include "connectors/mysql_client/connect_refusal.h"
#include "connectors/mysql_client/mysql_tls.h"

namespace pipeline::mysql {
namespace {

// Strict for every table (not only transactional ones), and no zero dates: a value the column cannot hold is an
// error the sink classifies, not a warning with a silently changed value.
constexpr std::string_view kSessionSetup =
    "SET SESSION time_zone = '+00:00', "
    "sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'";

}  // namespace

MysqlSession::MysqlSession(MysqlDsn dsn) : dsn_(std::move(dsn)) {}

MysqlSession::~MysqlSession() { Disconnect(); }

void MysqlSession::Disconnect() {
  if (mysql_) mysql_close(mysql_);
  mysql_ = nullptr;
}

Status MysqlSession::Connect() {
  Disconnect();
  mysql_ = mysql_init(nullptr);
  if (!mysql_) return FatalError("mysql_init failed: out of memory");
  const unsigned connect_timeout = 10, io_timeout = 120;
  mysql_optionsv(mysql_, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout);
  mysql_optionsv(mysql_, MYSQL_OPT_READ_TIMEOUT, &io_timeout);
  mysql_optionsv(mysql_, MYSQL_OPT_WRITE_TIMEOUT, &io_timeout);
  mysql_optionsv(mysql_, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  mysql_client::SetTlsOptions(mysql_, dsn_.tls);
  if (!mysql_real_connect(mysql_, dsn_.host.c_str(), dsn_.user.c_str(), dsn_.password.c_str(),
                          dsn_.database.empty() ? nullptr : dsn_.database.c_str(), dsn_.port, nullptr,
                          CLIENT_FOUND_ROWS)) {
    const unsigned code = mysql_errno(mysql_);
    const std::string message =
        "mysql connection to " + dsn_.label() + ": cannot connect: " + dsn_.Redact(mysql_error(mysql_));
    Disconnect();
    if (auto refused = mysql_client::ConnectRefusal(code, message, dsn_.tls.configured)) return *refused;
    return RetryableError(message);  // unreachable, starting, too many connections: the retry policy's
  }
  Status encrypted = mysql_client::CheckEncrypted(mysql_, dsn_.tls, dsn_.label());
  if (!encrypted.ok()) {
    Disconnect();
    return encrypted;
  }
  auto setup = Exec(kSessionSetup, "mysql connection to " + dsn_.label());
  if (!setup.ok()) return setup.error();
  return Status::Ok();
}

Error MysqlSession::Failed(const std::string& what) {
  const unsigned code = mysql_errno(mysql_);
  const std::string message = dsn_.Redact(mysql_error(mysql_));
  Error error = MysqlStatementError(code, what, message);
  // The transaction is gone with a broken connection or a deadlock; a new connection starts clean.
  if (error.kind() == ErrorKind::kRetryable) Disconnect();
  return error;
}

Result<uint64_t> MysqlSession::Exec(std::string_view sql, const std::string& what) {
  if (!mysql_) return RetryableError(what + ": not connected to " + dsn_.label());
  if (mysql_real_query(mysql_, sql.data(), sql.size())) return Failed(what);
  // A statement that returns rows here would leave them unread and the connection out of step.
  if (MYSQL_RES* rows = mysql_store_result(mysql_)) mysql_free_result(rows);
  return static_cast<uint64_t>(mysql_affected_rows(mysql_));
}

Result<TextRows> MysqlSession::Query(std::string_view sql, const std::string& what) {
  if (!mysql_) return RetryableError(what + ": not connected to " + dsn_.label());
  if (mysql_real_query(mysql_, sql.data(), sql.size())) return Failed(what);
  TextRows out;
  MYSQL_RES* result = mysql_store_result(mysql_);
  if (!result) {
    if (mysql_field_count(mysql_) == 0) return out;
    return Failed(what);
  }
  const unsigned columns = mysql_num_fields(result);
  while (MYSQL_ROW row = mysql_fetch_row(result)) {
    const unsigned long* lengths = mysql_fetch_lengths(result);
    auto& values = out.emplace_back();
    for (unsigned i = 0; i < columns; ++i)
      values.push_back(row[i] ? std::optional<std::string>(std::string(row[i], lengths[i])) : std::nullopt);
  }
  mysql_free_result(result);
  return out;
}

void MysqlSession::AppendQuoted(std::string_view text, std::string& out) const {
  if (!mysql_) {  // no handle to ask (never sent then): the escapes Connector/C uses for utf8mb4
    out += '\'';
    for (char c : text) {
      switch (c) {
        case '\0':
          out += "\\0";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\x1a':
          out += "\\Z";
          break;
        case '\\':
        case '\'':
        case '"':
          out += '\\';
          out += c;
          break;
        default:
          out += c;
      }
    }
    out += '\'';
    return;
  }
  const size_t at = out.size();
  out.resize(at + text.size() * 2 + 3);
  out[at] = '\'';
  const unsigned long n = mysql_real_escape_string(mysql_, out.data() + at + 1, text.data(), text.size());
  out[at + 1 + n] = '\'';
  out.resize(at + n + 2);
}

}  // namespace pipeline::mysql
