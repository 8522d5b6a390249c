// PgSession: one libpq connection of a postgres connector and the statements it runs, each failure turned into
// a classified Error (sqlstate.h) whose message names the target and never shows the password.
//
// Sessions use DateStyle ISO and TimeZone UTC, so timestamps read back as ISO text in UTC and a timestamp string
// without an offset means UTC. Threading: one thread at a time (the connector's).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "connectors/postgres_client/pg_handles.h"
#include "connectors/postgres_client/postgres_dsn.h"
#include "core/result.h"

namespace pipeline::postgres {

using postgres_client::PgResult;
using postgres_client::PostgresDsn;

// Text-format statement parameters; nullopt is SQL NULL.
using Params = std::vector<std::optional<std::string>>;

class PgSession {
 public:
  explicit PgSession(PostgresDsn dsn) : dsn_(std::move(dsn)) {}

  // Retryable when the server cannot be reached, Config when it refuses the login or the database is missing.
  Status Connect();
  bool connected() const;
  void Disconnect() { conn_.reset(); }

  // A statement without results (BEGIN, DDL, SAVEPOINT); `what` names the target in the error.
  Status Exec(const std::string& sql, const std::string& what);
  // A statement with text parameters; the result (rows, or the count of rows touched).
  Result<PgResult> Run(const std::string& sql, const Params& params, const std::string& what);
  // COPY … FROM STDIN with `data` in COPY's text format.
  Status Copy(const std::string& copy_sql, const std::string& data, const std::string& what);

  const PostgresDsn& dsn() const { return dsn_; }

 private:
  Error Failed(const PGresult* result, const std::string& what) const;

  PostgresDsn dsn_;
  postgres_client::PgConnection conn_;
};

}  // namespace pipeline::postgres
