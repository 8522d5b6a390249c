#include "connectors/postgres_cdc/publication.h"

#include <libpq-fe.h>

#include <algorithm>
#include <memory>

#include "connectors/postgres_client/pg_handles.h"

namespace pipeline::postgres_cdc {
namespace {

using postgres_client::ConnectionCloser;
using postgres_client::PgResult;
using postgres_client::Trimmed;

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


// Rows of a query with text parameters; Retryable (with `what`) when it fails.
Result<PgResult> Select(PGconn* conn, const std::string& sql, const std::vector<std::string>& params,
                        const std::string& what, const std::string& who, const PostgresDsn& dsn) {
  std::vector<const char*> values;
  for (const std::string& p : params) values.push_back(p.c_str());
  PgResult rows(PQexecParams(conn, sql.c_str(), static_cast<int>(values.size()), nullptr, values.data(), nullptr,
                             nullptr, 0));
  if (PQresultStatus(rows.get()) != PGRES_TUPLES_OK)
    return RetryableError(who + ": cannot " + what + ": " + dsn.Redact(Trimmed(PQerrorMessage(conn))));
  return rows;
}

// A table the patterns matched, and its name as SQL spells it (quoted only where it must be).
struct MatchedTable {
  std::string full;  // schema.table
  std::string sql;
};

Result<std::vector<MatchedTable>> MatchCatalog(PGconn* conn, const std::vector<std::string>& patterns,
                                               const std::string& who, const PostgresDsn& dsn) {
  auto rows = Select(conn,
                     "SELECT n.nspname, c.relname, format('%I.%I', n.nspname, c.relname) FROM pg_class c "
                     "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND "
                     "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp)' "
                     "ORDER BY 1, 2",
                     {}, "list the tables", who, dsn);
  if (!rows.ok()) return rows.error();
  std::vector<cdc::TableName> catalog;
  std::map<std::string, std::string> sql_names;
  for (int row = 0; row < PQntuples(rows->get()); ++row) {
    catalog.push_back({PQgetvalue(rows->get(), row, 0), PQgetvalue(rows->get(), row, 1)});
    sql_names[catalog.back().full()] = PQgetvalue(rows->get(), row, 2);
  }
  auto matched = cdc::MatchTablePatterns(patterns, "public", catalog);
  if (!matched.ok())
    return ConfigError(matched.error().message() + " in " + dsn.label() + " (or the user may not see it)");
  std::vector<MatchedTable> out;
  for (const cdc::TableName& t : *matched) out.push_back({t.full(), sql_names[t.full()]});
  return out;
}

std::string SqlList(const std::vector<MatchedTable>& tables) {
  std::string out;
  for (const MatchedTable& t : tables) out += (out.empty() ? "" : ", ") + t.sql;
  return out;
}

// The matched tables the publication lacks.
Result<std::vector<MatchedTable>> NotCovered(PGconn* conn, const std::string& publication,
                                             const std::vector<MatchedTable>& tables, const std::string& who,
                                             const PostgresDsn& dsn) {
  auto rows = Select(conn, "SELECT schemaname || '.' || tablename FROM pg_publication_tables WHERE pubname = $1",
                     {publication}, "list the tables of publication '" + publication + "'", who, dsn);
  if (!rows.ok()) return rows.error();
  std::vector<std::string> covered;
  for (int row = 0; row < PQntuples(rows->get()); ++row) covered.push_back(PQgetvalue(rows->get(), row, 0));
  std::vector<MatchedTable> missing;
  for (const MatchedTable& t : tables)
    if (std::find(covered.begin(), covered.end(), t.full) == covered.end()) missing.push_back(t);
  return missing;
}

// Runs `statement` when allowed to; otherwise, or when it fails, a Config error that says to run it.
Status RunOrAsk(PGconn* conn, bool allowed, const std::string& problem, const std::string& statement,
                const PostgresDsn& dsn) {
  if (!allowed)
    return ConfigError(problem + ", and create_publication is false: run `" + statement +
                       "` as a user with the right to, or set create_publication: true");
  PgResult done(PQexec(conn, statement.c_str()));
  if (PQresultStatus(done.get()) == PGRES_COMMAND_OK) return Status::Ok();
  return ConfigError(problem + " and pipe cannot make it: " + dsn.Redact(Trimmed(PQerrorMessage(conn))) +
                     ": run `" + statement + "` as a user with the right to (then create_publication: false "
                     "keeps pipe from trying)");
}

Status ProvidePublication(PGconn* conn, const PublicationSetup& setup, const std::vector<MatchedTable>& tables,
                          const std::string& who, const PostgresDsn& dsn) {
  auto found = Select(conn, "SELECT quote_ident($1), EXISTS (SELECT 1 FROM pg_publication WHERE pubname = $1)",
                      {setup.name}, "look up publications", who, dsn);
  if (!found.ok()) return found.error();
  const std::string name = PQgetvalue(found->get(), 0, 0);
  const std::string where = "publication '" + setup.name + "' ";
  if (std::string(PQgetvalue(found->get(), 0, 1)) != "t") {
    if (tables.empty())
      return ConfigError(where + "does not exist in " + dsn.label() +
                         ": list the captured `tables` so that pipe can create it, or create it yourself");
    return RunOrAsk(conn, setup.create, where + "does not exist in " + dsn.label(),
                    "CREATE PUBLICATION " + name + " FOR TABLE " + SqlList(tables), dsn);
  }
  auto missing = NotCovered(conn, setup.name, tables, who, dsn);
  if (!missing.ok()) return missing.error();
  if (missing->empty()) return Status::Ok();
  return RunOrAsk(conn, setup.create, where + "in " + dsn.label() + " does not cover " + SqlList(*missing),
                  "ALTER PUBLICATION " + name + " ADD TABLE " + SqlList(*missing), dsn);
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

Result<std::string> SlotHolder(const PostgresDsn& dsn, const std::string& slot) {
  const std::string who = "postgres connection to " + dsn.label();
  auto conn = Connect(dsn, who);
  if (!conn.ok()) return conn.error();
  auto rows = Select(conn->get(),
                     "SELECT s.active_pid, coalesce(a.application_name, ''), coalesce(host(a.client_addr), 'local') "
                     "FROM pg_replication_slots s LEFT JOIN pg_stat_activity a ON a.pid = s.active_pid "
                     "WHERE s.slot_name = $1 AND s.active",
                     {slot}, "look up replication slot '" + slot + "'", who, dsn);
  if (!rows.ok()) return rows.error();
  if (PQntuples(rows->get()) == 0) return std::string();
  return "process " + std::string(PQgetvalue(rows->get(), 0, 0)) + " (application '" + PQgetvalue(rows->get(), 0, 1) +
         "', from " + PQgetvalue(rows->get(), 0, 2) + ")";
}

Result<CapturedTables> EnsurePublication(const PostgresDsn& dsn, const PublicationSetup& setup) {
  const std::string who = "postgres connection to " + dsn.label();
  auto conn = Connect(dsn, who);
  if (!conn.ok()) return conn.error();
  std::vector<MatchedTable> tables;
  if (!setup.table_patterns.empty()) {
    auto matched = MatchCatalog(conn->get(), setup.table_patterns, who, dsn);
    if (!matched.ok()) return matched.error();
    tables = std::move(matched).value();
  }
  PIPE_RETURN_IF_ERROR(ProvidePublication(conn->get(), setup, tables, who, dsn));
  auto keys = PrimaryKeysOf(conn->get(), setup.name, who, dsn);
  if (!keys.ok()) return keys.error();
  CapturedTables out{std::move(keys).value(), {}};
  for (const MatchedTable& t : tables) out.tables.push_back(t.full);
  return out;
}

Result<std::vector<std::string>> MatchTables(const PostgresDsn& dsn, const std::vector<std::string>& patterns) {
  const std::string who = "postgres connection to " + dsn.label();
  auto conn = Connect(dsn, who);
  if (!conn.ok()) return conn.error();
  auto matched = MatchCatalog(conn->get(), patterns, who, dsn);
  if (!matched.ok()) return matched.error();
  std::vector<std::string> out;
  for (const MatchedTable& t : *matched) out.push_back(t.full);
  return out;
}

}  // namespace pipeline::postgres_cdc
