// The `mysql` sink: its options (the reference docs come from here), its factory and its registration.
#include "connectors/connectors.h"
#include "connectors/mysql/mysql_sink.h"
#include "connectors/mysql_client/mysql_tls.h"
#include "plugin/batch_options.h"
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
      {.name = "table",
       .type = OptionType::kString,
       .description = "The target table, a record template: {topic}, {table} (the topic after its last dot), "
                      "value fields... A name with one dot is database.table, otherwise a table of the dsn's "
                      "database.",
       .default_value = "{table}"},
      {.name = "mode",
       .type = OptionType::kEnum,
       .description = "insert: multi-row INSERT of every record as a new row. upsert: INSERT … ON DUPLICATE KEY "
                      "UPDATE, after collapsing each flush to the last change per key. update: UPDATE the row with "
                      "the record's key (a record whose row is missing is rejected).",
       .default_value = "insert",
       .choices = {"insert", "upsert", "update"}},
      {.name = "primary_key",
       .type = OptionType::kStringList,
       .description = "The key columns (upsert, update, deletes, auto_create's PRIMARY KEY). Default: the record "
                      "key's field names; a scalar key needs its one column named here."},
      {.name = "delete_on_tombstone",
       .type = OptionType::kBool,
       .description = "A record with a null value deletes the row with its key. Otherwise such a record is "
                      "rejected (on_error).",
       .default_value = "false"},
      {.name = "auto_create",
       .type = OptionType::kBool,
       .description = "Create a missing table (InnoDB) from the first record's fields (BIGINT, DOUBLE, DECIMAL, "
                      "BOOLEAN, LONGTEXT, LONGBLOB, DATE, TIME(3), DATETIME(3) in UTC, JSON; VARCHAR(255) or "
                      "VARBINARY(255) for key columns) with primary_key as its primary key.",
       .default_value = "false"},
      {.name = "auto_evolve",
       .type = OptionType::kBool,
       .description = "Add a column (ALTER TABLE … ADD COLUMN) when records carry a field the table lacks. "
                      "Otherwise such a record fails the pipeline with the column's name.",
       .default_value = "false"},
      BatchOption(MysqlSinkSettings{}.batch,
                  "When to write what is held, in one transaction (also at every flush_interval): once one of "
                  "these limits is reached; max_bytes counts the records' keys and values approximately."),
      {.name = "exactly_once",
       .type = OptionType::kBool,
       .description = "Store each source lane's last written position in a pipe_offsets table within the same "
                      "transaction, and skip records at or below it after a restart: each change written once, "
                      "even in insert mode (needs a source with stable positions: file, kafka, mysql_cdc).",
       .default_value = "false"},
  };
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
  auto table = RecordTemplate::Parse(options.GetString("table"));
  if (!table.ok()) return options.ErrorAt("table", table.error().message());
  if (table->text().empty()) return options.ErrorAt("table", "must name a table");
  s.table = std::move(*table);
  const std::string mode = options.GetString("mode");
  s.plan.mode = mode == "upsert"   ? sql_sink::WriteMode::kUpsert
                : mode == "update" ? sql_sink::WriteMode::kUpdate
                                   : sql_sink::WriteMode::kInsert;
  s.plan.primary_key = options.GetStringList("primary_key");
  s.plan.delete_on_tombstone = options.GetBool("delete_on_tombstone");
  s.auto_create = options.GetBool("auto_create");
  s.auto_evolve = options.GetBool("auto_evolve");
  s.exactly_once = options.GetBool("exactly_once");
  auto batch = ParseBatchOptions(options);
  if (!batch.ok()) return batch.error();
  s.batch = *batch;
  return std::unique_ptr<Sink>(std::make_unique<MysqlSink>(std::move(s)));
}

}  // namespace
}  // namespace mysql

void RegisterMysqlSink(Registry& registry) { registry.AddSink(mysql::MysqlSinkSpec(), mysql::BuildMysqlSink); }

}  // namespace pipeline
