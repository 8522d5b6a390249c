#include "connectors/postgres_client/postgres_dsn.h"

#include <libpq-fe.h>

#include <map>

namespace pipeline::postgres_client {

Result<PostgresDsn> PostgresDsn::Parse(std::string dsn) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(dsn.c_str(), &error);
  if (!options) {
    PQfreemem(error);
    return ConfigError(
        "dsn is not a PostgreSQL connection string: write postgres://user:password@host:port/database"
        " or 'host=... port=... dbname=... user=...'");
  }
  std::map<std::string, std::string> given;
  for (PQconninfoOption* o = options; o->keyword; ++o) {
    if (o->val) given[o->keyword] = o->val;
  }
  PQconninfoFree(options);
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
