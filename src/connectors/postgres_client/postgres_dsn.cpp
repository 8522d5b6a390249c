#include "connectors/postgres_client/postgres_dsn.h"

#include <libpq-fe.h>

#include <unistd.h>

#include <map>
#include <utility>
#include <vector>

namespace pipeline::postgres_client {
namespace {

using Keywords = std::vector<std::pair<std::string, std::string>>;

// The keywords the DSN sets, in libpq's order (URI and keyword forms alike); nothing from the environment.
Result<Keywords> GivenKeywords(const std::string& dsn) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(dsn.c_str(), &error);
  if (!options) {
    PQfreemem(error);  // not repeated: it may quote the password
    return ConfigError(
        "dsn is not a PostgreSQL connection string: write postgres://user:password@host:port/database"
        " or 'host=... port=... dbname=... user=...'");
  }
  Keywords given;
  for (PQconninfoOption* o = options; o->keyword; ++o) {
    if (o->val) given.emplace_back(o->keyword, o->val);
  }
  PQconninfoFree(options);
  return given;
}

// A value for a keyword=value connection string: quoted, with quotes and backslashes escaped.
std::string Quoted(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c;
  }
  return out + "'";
}

// PostgreSQL 15's libpq has no sslrootcert=system (16 has): the bundle where distributions keep the system's CAs.
Result<std::string> SystemCaBundle() {
  for (const char* path : {"/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt",
                           "/etc/ssl/cert.pem"}) {
    if (::access(path, R_OK) == 0) return std::string(path);
  }
  return ConfigError("tls: no system CA bundle found (/etc/ssl/certs/ca-certificates.crt and the like): give "
                     "ca_file, the CA that signed the server's certificate");
}

}  // namespace

OptionSpec PostgresTlsOption() {
  return TlsOption(
      "TLS to the server, required when given (a server without TLS is refused): sslmode=verify-full, or require "
      "with verify: false; sslrootcert = ca_file (default: the system's CA bundle); sslcert/sslkey = "
      "cert_file/key_file. Not together with TLS keywords in the dsn. server_name is not supported: libpq checks "
      "the certificate against the dsn's host.");
}

Result<std::string> WithTls(const std::string& dsn, const TlsSettings& tls) {
  if (!tls.configured) return dsn;
  auto parsed = GivenKeywords(dsn);
  if (!parsed.ok()) return parsed.error();
  Keywords given = std::move(parsed).value();
  for (const auto& [keyword, value] : given) {
    for (const char* owned : {"sslmode", "requiressl", "sslrootcert", "sslcert", "sslkey"}) {
      if (keyword == owned)
        return ConfigError("the dsn sets " + keyword + " and the tls option is given too: say TLS in one place "
                           "(remove " + keyword + " from the dsn, or remove tls)");
    }
  }
  if (!tls.server_name.empty())
    return ConfigError("tls.server_name is not supported by the PostgreSQL connectors: libpq checks the "
                       "certificate against the dsn's host; write that name as host (and the address as hostaddr)");
  given.emplace_back("sslmode", tls.verify ? "verify-full" : "require");
  std::string ca_file = tls.ca_file;
  if (ca_file.empty() && tls.verify) {
    auto system = SystemCaBundle();
    if (!system.ok()) return system.error();
    ca_file = *system;
  }
  if (!ca_file.empty()) given.emplace_back("sslrootcert", ca_file);
  if (!tls.cert_file.empty()) given.emplace_back("sslcert", tls.cert_file);
  if (!tls.key_file.empty()) given.emplace_back("sslkey", tls.key_file);
  std::string out;
  for (const auto& [keyword, value] : given) out += (out.empty() ? "" : " ") + keyword + "=" + Quoted(value);
  return out;
}

Result<std::string> DsnOption(const Options& options) {
  const std::string dsn = options.GetString("dsn");
  if (auto parsed = PostgresDsn::Parse(dsn); !parsed.ok()) return options.ErrorAt("dsn", parsed.error().message());
  auto tls = ParseTlsOptions(options);
  if (!tls.ok()) return tls.error();
  auto combined = WithTls(dsn, *tls);
  if (!combined.ok()) return options.ErrorAt("tls", combined.error().message());
  return combined;
}

namespace {

bool IsTlsFailure(std::string_view libpq_message) {
  for (const char* tls :
       {"certificate verify failed", "does not match host name", "server does not support SSL", "root certificate "
        "file", "could not read certificate", "could not load private key", "private key file", "certificate "
        "present, but not private key", "tlsv1 alert", "sslv3 alert", "requires a valid client certificate"}) {
    if (libpq_message.find(tls) != std::string_view::npos) return true;
  }
  return false;
}

}  // namespace

bool IsRefusedConnection(std::string_view libpq_message) {
  for (const char* refused : {"password authentication failed", "no pg_hba.conf entry", "does not exist"}) {
    if (libpq_message.find(refused) != std::string_view::npos) return true;
  }
  return IsTlsFailure(libpq_message);
}

std::string WithTlsHint(std::string message) {
  if (!IsTlsFailure(message)) return message;
  return message + " (check tls: ca_file must hold the CA that signed the server's certificate, which must name "
                   "the dsn's host; the server needs ssl=on; cert_file and key_file for a server that asks for a "
                   "client certificate)";
}

Result<PostgresDsn> PostgresDsn::Parse(std::string dsn) {
  auto keywords = GivenKeywords(dsn);
  if (!keywords.ok()) return keywords.error();
  std::map<std::string, std::string> given(keywords->begin(), keywords->end());
  PostgresDsn out;
  out.dsn_ = std::move(dsn);
  out.password_ = given["password"];
  auto or_default = [&](const char* key, const char* fallback) {
    return given[key].empty() ? std::string(fallback) : given[key];
  };
  out.label_ = or_default("user", "(default user)") + "@" + or_default("host", "localhost") + ":" +
               or_default("port", "5432") + "/" + or_default("dbname", "(default database)");
  return out;
}

std::string PostgresDsn::Redact(std::string_view text) const {
  std::string out(text);
  if (password_.empty()) return out;
  for (size_t at = out.find(password_); at != std::string::npos; at = out.find(password_, at)) {
    out.replace(at, password_.size(), "<redacted>");
    at += 10;
  }
  return out;
}

}  // namespace pipeline::postgres_client
