#include "connectors/mysql_client/mysql_tls.h"

#include <mysql.h>

#include <string_view>

namespace pipeline::mysql_client {
namespace {

// The query part of a mysql:// DSN names a TLS setting (ssl-mode, sslca, tls-version, ...).
bool QueryNamesTls(std::string_view dsn) {
  const size_t query = dsn.find('?');
  if (query == std::string_view::npos) return false;
  std::string lower(dsn.substr(query + 1));
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.find("ssl") != std::string::npos || lower.find("tls") != std::string::npos;
}

}  // namespace

Result<TlsSettings> MysqlTlsOption(const Options& options) {
  if (QueryNamesTls(options.GetString("dsn")))
    return options.ErrorAt("dsn", "TLS parameters in the dsn are not read: write them in the tls option "
                                  "(tls: {ca_file, cert_file, key_file, verify})");
  auto tls = ParseTlsOptions(options);
  if (!tls.ok()) return tls;
  if (!tls->server_name.empty())
    return options.ErrorAt("tls", "server_name is not supported by the MariaDB/MySQL connectors: Connector/C checks the certificate "
                                  "against the dsn's host; write that name as the dsn's host");
  return tls;
}

void SetTlsOptions(st_mysql* mysql, const TlsSettings& tls) {
  if (!tls.configured) return;
  const my_bool enforce = 1;
  const my_bool verify = tls.verify ? 1 : 0;
  mysql_optionsv(mysql, MYSQL_OPT_SSL_ENFORCE, &enforce);
  mysql_optionsv(mysql, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
  if (!tls.ca_file.empty()) mysql_optionsv(mysql, MYSQL_OPT_SSL_CA, tls.ca_file.c_str());
  if (!tls.cert_file.empty()) mysql_optionsv(mysql, MYSQL_OPT_SSL_CERT, tls.cert_file.c_str());
  if (!tls.key_file.empty()) mysql_optionsv(mysql, MYSQL_OPT_SSL_KEY, tls.key_file.c_str());
}

Status CheckEncrypted(st_mysql* mysql, const TlsSettings& tls, const std::string& label) {
  if (!tls.configured || mysql_get_ssl_cipher(mysql) != nullptr) return Status::Ok();
  return ConfigError("the connection to " + label + " is not encrypted although tls is set: turn TLS on in the "
                     "server (ssl_cert, ssl_key)");
}

}  // namespace pipeline::mysql_client
