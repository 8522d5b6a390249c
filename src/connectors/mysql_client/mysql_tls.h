// The shared `tls` option for Connector/C: what the option may say for MariaDB/MySQL, and the client options and
// the check after connecting that make `tls` mean "TLS or no connection".
#pragma once

#include <string>

#include "core/result.h"
#include "plugin/options.h"
#include "plugin/tls_options.h"

struct st_mysql;

namespace pipeline::mysql_client {

// The `tls` option of a MariaDB/MySQL connector. Config errors at the option: server_name (Connector/C checks
// the dsn's host), TLS parameters in the dsn's query (they are not read: `tls` is the one place).
Result<TlsSettings> MysqlTlsOption(const Options& options);

// Sets the CA, client certificate and key, server-certificate verification and "refuse a connection without TLS"
// on a handle before mysql_real_connect. Nothing when `tls` is not configured.
void SetTlsOptions(st_mysql* mysql, const TlsSettings& tls);

// After connecting: a Config error when `tls` is configured and the session is not encrypted (a belt to
// SetTlsOptions' braces: no library version may fall back to plaintext silently).
Status CheckEncrypted(st_mysql* mysql, const TlsSettings& tls, const std::string& label);

}  // namespace pipeline::mysql_client
