#include "connectors/postgres/pg_session.h"

#include <cstdlib>

#include "connectors/postgres/sqlstate.h"

namespace pipeline::postgres {

using postgres_client::SqlState;
using postgres_client::Trimmed;

Status PgSession::Connect() {
  // The DSN is expanded in place of dbname; keys after it override it, keys before it are defaults it may change.
  const char* keys[] = {"connect_timeout", "fallback_application_name", "options", "dbname", nullptr};
  const char* values[] = {"10", "pipe", "-c datestyle=ISO -c timezone=UTC", dsn_.dsn().c_str(), nullptr};
  conn_.reset(PQconnectdbParams(keys, values, 1));
  if (PQstatus(conn_.get()) == CONNECTION_OK) {
    // The server's notices (CREATE TABLE IF NOT EXISTS "already exists, skipping") are not pipe's to print.
    PQsetNoticeProcessor(conn_.get(), [](void*, const char*) {}, nullptr);
    return Status::Ok();
  }
  std::string message = postgres_client::WithTlsHint("postgres connection to " + dsn_.label() + ": cannot connect: " +
                                                     dsn_.Redact(Trimmed(PQerrorMessage(conn_.get()))));
  conn_.reset();
  return postgres_client::IsRefusedConnection(message) ? ConfigError(message) : RetryableError(message);
}

bool PgSession::connected() const { return conn_ && PQstatus(conn_.get()) == CONNECTION_OK; }

Error PgSession::Failed(const PGresult* result, const std::string& what) const {
  std::string message = Trimmed(result ? PQresultErrorMessage(result) : nullptr);
  if (message.empty()) message = Trimmed(conn_ ? PQerrorMessage(conn_.get()) : "not connected");
  message = dsn_.Redact(message);
  // A broken connection is worth another try whatever the result says.
  if (!conn_ || PQstatus(conn_.get()) != CONNECTION_OK)
    return RetryableError(what + ": the connection to " + dsn_.label() + " broke: " + message);
  return SqlStateError(SqlState(result), what, message);
}

Status PgSession::Exec(const std::string& sql, const std::string& what) {
  if (!conn_) return RetryableError(what + ": not connected to " + dsn_.label());
  PgResult r(PQexec(conn_.get(), sql.c_str()));
  const ExecStatusType status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return Status::Ok();
  return Failed(r.get(), what);
}

Result<PgResult> PgSession::Run(const std::string& sql, const Params& params, const std::string& what) {
  if (!conn_) return RetryableError(what + ": not connected to " + dsn_.label());
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const auto& p : params) values.push_back(p ? p->c_str() : nullptr);
  PgResult r(PQexecParams(conn_.get(), sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr,
                          nullptr, 0));
  const ExecStatusType status = r ? PQresultStatus(r.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return r;
  return Failed(r.get(), what);
}

Status PgSession::Copy(const std::string& copy_sql, const std::string& data, const std::string& what) {
  if (!conn_) return RetryableError(what + ": not connected to " + dsn_.label());
  PgResult started(PQexec(conn_.get(), copy_sql.c_str()));
  if (!started || PQresultStatus(started.get()) != PGRES_COPY_IN) return Failed(started.get(), what);
  const bool sent = PQputCopyData(conn_.get(), data.data(), static_cast<int>(data.size())) == 1 &&
                    PQputCopyEnd(conn_.get(), nullptr) == 1;
  // The COPY's outcome comes as one result after the end (and a failure may come before all data is sent).
  Status outcome = Status::Ok();
  while (PGresult* raw = PQgetResult(conn_.get())) {
    PgResult r(raw);
    if (PQresultStatus(r.get()) != PGRES_COMMAND_OK && outcome.ok()) outcome = Failed(r.get(), what);
  }
  if (outcome.ok() && !sent) return Failed(nullptr, what);
  return outcome;
}

}  // namespace pipeline::postgres
