// libpq handles as owners, and the pieces of a failed call every PostgreSQL connector reads: the trimmed message,
// the SQLSTATE, an identifier quoted for the server.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <string>

namespace pipeline::postgres_client {

struct ConnectionCloser {
  void operator()(PGconn* c) const { PQfinish(c); }
};
struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using PgConnection = std::unique_ptr<PGconn, ConnectionCloser>;
using PgResult = std::unique_ptr<PGresult, ResultDeleter>;

// libpq's messages end with a newline (some with two lines); messages of pipe are one line.
inline std::string Trimmed(const char* message) {
  std::string s = message ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// The five-character SQLSTATE of a failed result, "" when there is none (the connection broke).
inline std::string SqlState(const PGresult* r) {
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  return state ? state : "";
}

// `name` as a double-quoted identifier ("Order Lines", "a""b"), exactly as written: case kept.
inline std::string QuotedIdentifier(std::string_view name) {
  std::string out = "\"";
  for (char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + '"';
}

}  // namespace pipeline::postgres_client
