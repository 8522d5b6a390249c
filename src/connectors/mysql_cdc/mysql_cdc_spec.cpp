// The `mysql_cdc` source: its options (the reference docs come from here) and its factory.
#include "connectors/cdc_event/change_event.h"
#include "connectors/cdc_event/column_rules.h"
#include "connectors/connectors.h"
#include "connectors/mysql_cdc/mysql_cdc_source.h"
#include "connectors/mysql_client/mysql_tls.h"
#include "plugin/registry.h"
#include "plugin/tls_options.h"

namespace pipeline {
namespace {

ComponentSpec MysqlCdcSpec() {
  ComponentSpec spec;
  spec.type = "mysql_cdc";
  spec.kind = ComponentKind::kSource;
  spec.summary = "Change data capture from MariaDB or MySQL: the binlog read as a replica (row events).";
  spec.options = {
      {.name = "dsn",
       .type = OptionType::kString,
       .description = "mysql://user:password@host:port/database. The user needs REPLICATION SLAVE and REPLICATION "
                      "CLIENT; the server binlog_format=ROW, binlog_row_image=FULL, binlog_row_metadata=FULL. The "
                      "password never appears in a message.",
       .required = true,
       .secret = true},
      TlsOption("TLS to the server, required when given (a server without TLS is refused): ca_file is the CA "
                "to trust (default: the system's), cert_file/key_file a client certificate; verify checks the "
                "certificate and that it names the dsn's host. server_name is not supported."),
      {.name = "tables",
       .type = OptionType::kStringList,
       .description = "Tables to capture, `db.table` or `table` (the dsn's database); `*` matches any part of a "
                      "name. Default: every table of the dsn's database."},
      {.name = "server_id",
       .type = OptionType::kInt,
       .description = "The replica id pipe registers with; must differ from every server and replica. Default: "
                      "0x40000000 plus 30 bits of a hash of the stream name and the state dir, so two pipelines "
                      "do not collide."},
  };
  cdc::AddCommonOptions(spec.options,
           {.topic_parts = "<database>.<table>",
            .snapshot = "never: stream changes from the server's end of binlog on the first run (from the "
                        "checkpoint after that), without reading existing rows first. initial: on the first run (no "
                        "checkpoint yet) read every captured table in one consistent snapshot, in primary-key "
                        "chunks of batch_size, as `op: r` records (row: the rows), then stream the binlog from the "
                        "snapshot's position; nothing missed, nothing twice. A run that stops before the whole "
                        "snapshot is acknowledged takes a new snapshot next time. initial_only: the same "
                        "snapshot, then the source ends: the pipeline flushes its sinks and exits 0; nothing is "
                        "checkpointed, so every run reads the tables anew (no binlog connection is opened).",
            .heartbeat_interval = "@master_heartbeat_period: while nothing is written, the server sends its binlog "
                                  "position this often; it is published as progress, so the checkpoint follows "
                                  "the binlog.",
            .transaction_id = "the GTID where GTIDs are on (domain-server-sequence), else file:position of the "
                              "transaction's start"},
           {.initial_only = true});
  spec.example =
      "sources:\n"
      "  shop:\n"
      "    type: mysql_cdc\n"
      "    dsn: mysql://pipe:${MYSQL_PASSWORD}@localhost:3306/shop\n"
      "    tables: [shop.customers, shop.orders]\n"
      "    envelope: row\n";
  return spec;
}

Result<std::unique_ptr<Source>> BuildMysqlCdc(const Options& options, const BuildContext&) {
  using namespace mysql_cdc;
  using namespace mysql_client;
  MysqlCdcSettings settings;
  auto dsn = MysqlDsn::Parse(options.GetString("dsn"));
  if (!dsn.ok()) return options.ErrorAt("dsn", dsn.error().message());
  settings.dsn = std::move(dsn).value();
  auto tls = MysqlTlsOption(options);
  if (!tls.ok()) return tls.error();
  settings.dsn.tls = std::move(tls).value();
  settings.tables = options.GetStringList("tables");
  if (settings.tables.empty() && settings.dsn.database.empty())
    return options.ErrorAt("tables", "name the tables to capture, or a database in the dsn");
  const int64_t server_id = options.GetInt("server_id");
  if (server_id < 0 || server_id > 0xffffffffLL)
    return options.ErrorAt("server_id", "must be between 1 and 4294967295");
  settings.server_id = static_cast<uint32_t>(server_id);
  auto column_rules = cdc::ColumnRules::FromOptions(options);
  if (!column_rules.ok()) return column_rules.error();
  settings.column_rules = std::move(column_rules).value();
  auto common = cdc::CommonSettingsOf(options);
  if (!common.ok()) return common.error();
  static_cast<cdc::CommonSettings&>(settings) = *common;
  if (settings.heartbeat_interval.count() == 0) return options.ErrorAt("heartbeat_interval", "must be positive");
  return std::unique_ptr<Source>(std::make_unique<MysqlCdcSource>(std::move(settings)));
}

}  // namespace

void RegisterMysqlCdcSource(Registry& registry) { registry.AddSource(MysqlCdcSpec(), BuildMysqlCdc); }

}  // namespace pipeline
