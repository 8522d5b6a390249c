// A PostgreSQL DSN (`postgres://user:password@host:port/database?param=value` or `key=value ...`) as messages may
// show it: a label without the password, and a way to scrub the password out of any text libpq returns.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "plugin/options.h"
#include "plugin/tls_options.h"

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

// The shared `tls` option as the PostgreSQL connectors describe it (WithTls below says what it becomes).
OptionSpec PostgresTlsOption();

// The `dsn` option with the `tls` option folded in, as one libpq connection string (keyword form): what every
// PostgreSQL connector connects with. Errors are located at the option they concern (see WithTls).
Result<std::string> DsnOption(const Options& options);

// `dsn` with `tls` as libpq keywords: sslmode=verify-full (verify) or require (not), sslrootcert (ca_file, else
// the system's CA bundle when verifying), sslcert and sslkey. `tls` not configured: `dsn` unchanged. A Config
// error when the DSN sets TLS keywords itself (one place says it) or `tls` asks for what libpq cannot do.
Result<std::string> WithTls(const std::string& dsn, const TlsSettings& tls);

// Whether a failed connection's libpq message is one that trying again cannot fix: a refused login, a missing
// database, or a TLS setting (certificate not trusted, server without TLS, unreadable key).
bool IsRefusedConnection(std::string_view libpq_message);

// A failed connection's message, with what to check appended when TLS is what failed.
std::string WithTlsHint(std::string message);

}  // namespace pipeline::postgres_client
