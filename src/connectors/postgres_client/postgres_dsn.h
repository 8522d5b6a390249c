// A PostgreSQL DSN (`postgres://user:password@host:port/database?param=value` or `key=value ...`) as messages may
// show it: a label without the password, and a way to scrub the password out of any text libpq returns.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace pipeline::postgres_client {

class PostgresDsn {
 public:
  // A Config error when libpq cannot parse the DSN (its message is not repeated: it may quote the password).
  static Result<PostgresDsn> Parse(std::string dsn);

  const std::string& dsn() const { return dsn_; }
  // "user@host:port/database", for every message about this connection.
  const std::string& label() const { return label_; }
  // `text` with every occurrence of the password replaced by "<redacted>".
  std::string Redact(std::string_view text) const;

 private:
  std::string dsn_;
  std::string label_;
  std::string password_;
};

}  // namespace pipeline::postgres_client
