// A MySQL/MariaDB DSN, `mysql://user:password@host:port/database`, as messages may show it: a label without the
// password, and a way to scrub the password out of any text the client library returns.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "plugin/tls_options.h"

namespace pipeline::mysql_client {

struct MysqlDsn {
  std::string user;
  std::string password;
  std::string host = "127.0.0.1";
  unsigned port = 3306;
  std::string database;  // may be empty: `tables` then names every database
  TlsSettings tls;        // from the `tls` option (the dsn's query is not read)

  // A Config error that names what is wrong, never quoting the password.
  static Result<MysqlDsn> Parse(std::string_view dsn);
  // "user@host:port/database", for every message about this connection.
  std::string label() const;
  // `text` with every occurrence of the password replaced by "<redacted>".
  std::string Redact(std::string_view text) const;
};

}  // namespace pipeline::mysql_client
