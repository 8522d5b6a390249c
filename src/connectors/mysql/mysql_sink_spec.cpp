// The `mysql` sink: its options (the reference docs come from here), its factory and its registration.
#include "connectors/connectors.h"
#include "connectors/mysql/mysql_sink.h"
#include "connectors/mysql_client/mysql_tls.h"
#include "connectors/sql_sink/table_sink_settings.h"
#include "plugin/registry.h"
#include "plugin/tls_options.h"

namespace pipeline {
namespace mysql {
namespace {

ComponentSpec MysqlSinkSpec() {
  ComponentSpec spec;
  spec.type = "mysql";
  spec.kind = ComponentKind::kSink;
  spec.summary =
      "Writes records to MariaDB/MySQL tables: multi-row inserts, upserts (INSERT … ON DUPLICATE KEY "
      "UPDATE), updates and deletes, one InnoDB transaction per flush.";
  spec.options = {
      {.name = "dsn",
       .type = OptionType::kString,
       .description = "mysql://user:password@host:port/database (%XX escapes in the user and password). The "
                      "password never appears in a message.",
       .required = true,
       .secret = true},
      TlsOption("TLS to the server, required when given (a server without TLS is refused): ca_file is the CA "
                "to trust (default: the system's), cert_file/key_file a client certificate; verify checks the "
                "certificate and that it names the dsn's host. server_name is not supported."),
  };
  for (OptionSpec& option : sql_sink::TableSinkOptions(
           {.table_names = "A name with one dot is database.table, otherwise a table of the dsn's database.",
            .modes = "insert: multi-row INSERT of every record as a new row. upsert: INSERT … ON DUPLICATE KEY "
                     "UPDATE, after collapsing each flush to the last change per key. update: UPDATE the row with "
                     "the record's key (a record whose row is missing is rejected).",
            .auto_create = "InnoDB; BIGINT, DOUBLE, DECIMAL, BOOLEAN, LONGTEXT, LONGBLOB, DATE, TIME(3), "
                           "DATETIME(3) in UTC, JSON; VARCHAR(255) or VARBINARY(255) for key columns",
            .stable_sources = "file, kafka, mysql_cdc"}))
    spec.options.push_back(std::move(option));
  spec.example =
      "sinks:\n"
      "  warehouse:\n"
      "    type: mysql\n"
      "    inputs: [customers]\n"
      "    dsn: mysql://pipe:${MYSQL_PASSWORD}@localhost:3306/warehouse\n"
      "    table: \"{table}\"\n"
      "    mode: upsert\n"
      "    delete_on_tombstone: true\n"
      "    auto_create: true\n";
  return spec;
}

Result<std::unique_ptr<Sink>> BuildMysqlSink(const Options& options, const BuildContext&) {
  MysqlSinkSettings s;
  auto dsn = MysqlDsn::Parse(options.GetString("dsn"));
  if (!dsn.ok()) return options.ErrorAt("dsn", dsn.error().message());
  s.dsn = std::move(dsn).value();
  auto tls = mysql_client::MysqlTlsOption(options);
  if (!tls.ok()) return tls.error();
  s.dsn.tls = std::move(tls).value();
  if (s.dsn.database.empty())
    return options.ErrorAt("dsn", "name the database: mysql://user:password@host:port/database");
  PIPE_RETURN_IF_ERROR(sql_sink::ParseTableSinkSettings(options, s));
  return std::unique_ptr<Sink>(std::make_unique<MysqlSink>(std::move(s)));
}

}  // namespace
}  // namespace mysql

void RegisterMysqlSink(Registry& registry) { registry.AddSink(mysql::MysqlSinkSpec(), mysql::BuildMysqlSink); }

}  // namespace pipeline
