#include "connectors/postgres_cdc/publication.h"

#include <libpq-fe.h>

#include <memory>

#include "connectors/postgres_client/pg_handles.h"

namespace pipeline::postgres_cdc {
namespace {

using postgres_client::ConnectionCloser;
using postgres_client::PgResult;
using postgres_client::Trimmed;

std::string Quoted(PGconn* conn, const std::string& name) {
  char* quoted = PQescapeIdentifier(conn, name.c_str(), name.size());
  std::string out = quoted ? quoted : "\"\"";
  PQfreemem(quoted);
  return out;
}

std::string QualifiedTable(PGconn* conn, const std::string& table) {
  size_t dot = table.find('.');
  if (dot == std::string::npos) return Quoted(conn, "public") + "." + Quoted(conn, table);
  return Quoted(conn, table.substr(0, dot)) + "." + Quoted(conn, table.substr(dot + 1));
}

Result<PrimaryKeys> PrimaryKeysOf(PGconn* conn, const std::string& publication, const std::string& who,
                                  const PostgresDsn& dsn) {
  const char* params[] = {publication.c_str()};
  PgResult keys(PQexecParams(conn,
                             "SELECT c.oid, a.attname FROM pg_publication_tables p "
                             "JOIN pg_namespace n ON n.nspname = p.schemaname "
                             "JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = p.tablename "
                             "JOIN pg_index i ON i.indrelid = c.oid AND i.indisprimary "
                             "JOIN LATERAL unnest(i.indkey) WITH ORDINALITY k(attnum, ord) ON true "
                             "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum "
                             "WHERE p.pubname = $1 ORDER BY c.oid, k.ord",
                             1, nullptr, params, nullptr, nullptr, 0));
  if (PQresultStatus(keys.get()) != PGRES_TUPLES_OK)
    return RetryableError(who + ": cannot look up the primary keys of publication '" + publication +
                          "': " + dsn.Redact(Trimmed(PQerrorMessage(conn))));
  PrimaryKeys out;
  for (int row = 0; row < PQntuples(keys.get()); ++row)
    out[static_cast<uint32_t>(std::stoul(PQgetvalue(keys.get(), row, 0)))].push_back(PQgetvalue(keys.get(), row, 1));
  return out;
}

// An ordinary connection (CREATE PUBLICATION and catalog queries are SQL, not replication commands).
Result<std::unique_ptr<PGconn, ConnectionCloser>> Connect(const PostgresDsn& dsn, const std::string& who) {
  const char* keys[] = {"connect_timeout", "fallback_application_name", "dbname", nullptr};
  const char* values[] = {"10", "pipe", dsn.dsn().c_str(), nullptr};
  std::unique_ptr<PGconn, ConnectionCloser> conn(PQconnectdbParams(keys, values, 1));
  if (PQstatus(conn.get()) != CONNECTION_OK) {
    std::string message =
        postgres_client::WithTlsHint(who + ": cannot connect: " + dsn.Redact(Trimmed(PQerrorMessage(conn.get()))));
    return postgres_client::IsRefusedConnection(message) ? Error(ConfigError(message)) : Error(RetryableError(message));
  }
  return conn;
}

}  // namespace

Result<SlotState> SlotStateOf(const PostgresDsn& dsn, const std::string& slot) {
  const std::string who = "postgres connection to " + dsn.label();
  auto conn = Connect(dsn, who);
  if (!conn.ok()) return conn.error();
  const char* params[] = {slot.c_str()};
  PgResult found(PQexecParams(conn->get(), "SELECT coalesce(wal_status, '') FROM pg_replication_slots WHERE slot_name = $1",
                              1, nullptr, params, nullptr, nullptr, 0));
  if (PQresultStatus(found.get()) != PGRES_TUPLES_OK)
    return RetryableError(who + ": cannot look up replication slot '" + slot +
                          "': " + dsn.Redact(Trimmed(PQerrorMessage(conn->get()))));
  if (PQntuples(found.get()) == 0) return SlotState::kMissing;
  return std::string(PQgetvalue(found.get(), 0, 0)) == "lost" ? SlotState::kLost : SlotState::kUsable;
}

Result<PrimaryKeys> EnsurePublication(const PostgresDsn& dsn, const std::string& publication,
                                      const std::vector<std::string>& tables) {
  const std::string who = "postgres connection to " + dsn.label();
  auto connected = Connect(dsn, who);
  if (!connected.ok()) return connected.error();
  std::unique_ptr<PGconn, ConnectionCloser> conn = std::move(connected).value();
  const char* params[] = {publication.c_str()};
  PgResult found(PQexecParams(conn.get(), "SELECT 1 FROM pg_publication WHERE pubname = $1", 1, nullptr, params,
                              nullptr, nullptr, 0));
  if (PQresultStatus(found.get()) != PGRES_TUPLES_OK)
    return RetryableError(who + ": cannot look up publications: " + dsn.Redact(Trimmed(PQerrorMessage(conn.get()))));
  if (PQntuples(found.get()) > 0) return PrimaryKeysOf(conn.get(), publication, who, dsn);
  if (tables.empty())
    return ConfigError("publication '" + publication + "' does not exist in " + dsn.label() +
                       ": list the captured `tables` so that pipe can create it, or create it yourself");
  std::string sql = "CREATE PUBLICATION " + Quoted(conn.get(), publication) + " FOR TABLE ";
  for (size_t i = 0; i < tables.size(); ++i) sql += (i ? ", " : "") + QualifiedTable(conn.get(), tables[i]);
  PgResult created(PQexec(conn.get(), sql.c_str()));
  if (PQresultStatus(created.get()) != PGRES_COMMAND_OK) {
    return ConfigError(who + ": cannot create publication '" + publication +
                       "': " + dsn.Redact(Trimmed(PQerrorMessage(conn.get()))) +
                       " (create it yourself, or give the user the right to)");
  }
  return PrimaryKeysOf(conn.get(), publication, who, dsn);
}

}  // namespace pipeline::postgres_cdc
