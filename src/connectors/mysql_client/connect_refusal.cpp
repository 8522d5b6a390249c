#include "connectors/mysql_client/connect_refusal.h"

#include <errmsg.h>
#include <mysqld_error.h>

namespace pipeline::mysql_client {

std::optional<Error> ConnectRefusal(unsigned code, const std::string& message, bool tls_configured) {
  switch (code) {
    case ER_ACCESS_DENIED_ERROR:
    case ER_DBACCESS_DENIED_ERROR:
    case ER_BAD_DB_ERROR:
      return ConfigError(message + (tls_configured ? " (check the dsn's user, password and database)"
                                                   : " (check the dsn's user, password and database; a server with "
                                                     "require_secure_transport=ON answers so too: then set tls)"));
    case CR_SSL_CONNECTION_ERROR:  // trying again cannot make the certificate trusted or the server speak TLS
      return ConfigError(message +
                         " (check tls: ca_file must hold the CA that signed the server's certificate, "
                         "whose name must match the dsn's host; the server needs TLS on)");
    default:
      return std::nullopt;
  }
}

}  // namespace pipeline::mysql_client
