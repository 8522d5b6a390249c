// The `postgres_cdc` source: its options (the reference docs come from here) and its factory.
#include "connectors/cdc_event/change_event.h"
#include "connectors/cdc_event/column_rules.h"
#include "connectors/connectors.h"
#include "connectors/postgres_cdc/postgres_cdc_source.h"
#include "connectors/postgres_client/postgres_dsn.h"
#include "plugin/registry.h"

namespace pipeline {
namespace {

ComponentSpec PostgresCdcSpec() {
  ComponentSpec spec;
  spec.type = "postgres_cdc";
  spec.kind = ComponentKind::kSource;
  spec.summary = "Change data capture from PostgreSQL: a logical replication slot read through pgoutput.";
  spec.options = {
      {.name = "dsn",
       .type = OptionType::kString,
       .description = "libpq connection string: postgres://user:password@host:port/database or 'host=... "
                      "dbname=...'. The user needs the REPLICATION attribute. The password never appears in a message.",
       .required = true,
       .secret = true},
      postgres_client::PostgresTlsOption(),
      {.name = "slot",
       .type = OptionType::kString,
       .description = "Replication slot (pgoutput), created when missing. Default: pipe_ plus the stream name "
                      "reduced to [a-z0-9_] and a hash of the state dir, so two pipelines never share one; an "
                      "existing slot of that name is used only when this source's checkpoint names it, otherwise "
                      "it is an error that says whose it may be (set `slot` to use it)."},
      {.name = "publication",
       .type = OptionType::kString,
       .description = "Publication to read; created FOR TABLE `tables` when missing. Default: the slot's name."},
      {.name = "tables",
       .type = OptionType::kStringList,
       .description = "Tables to capture: `schema.table` or `table` (schema public), or glob patterns (`*`, `?`, "
                      "`[...]`) matched per part, so `*` does not cross the dot: `sales.*`, `public.cust*`. Matched "
                      "against the catalog at start (a pattern that matches nothing is an error naming it); the "
                      "publication is created for the matched tables. Empty: every table of the publication, "
                      "which must exist. A table created later is captured from the next start."},
      {.name = "create_publication",
       .type = OptionType::kBool,
       .description = "true: create the publication FOR TABLE the matched tables when missing, and add matched "
                      "tables it lacks. false: never create or alter it (for a user without the right); a missing "
                      "publication, or one that lacks a matched table, is an error that says what to run.",
       .default_value = "true"},
  };
  cdc::AddCommonOptions(spec.options,
           {.topic_parts = "<schema>.<table>",
            .snapshot = "never: stream changes from where the slot stands, without reading existing rows first. "
                        "initial: on the first run (no checkpoint yet) create the slot with a snapshot, read every "
                        "table of the publication in it as `op: r` records (row: the rows), then stream from the "
                        "slot's consistent point; nothing missed, nothing twice. A run that stops before the whole "
                        "snapshot is acknowledged drops the slot and takes a new snapshot next time. initial_only: "
                        "read the tables in one REPEATABLE READ transaction (no slot, no publication when `tables` "
                        "are listed, no REPLICATION right needed), emit them as `op: r` records and end: the "
                        "pipeline flushes its sinks and exits 0; nothing is checkpointed, so every run reads the "
                        "tables anew. when_needed: "
                        "as initial, and also when the checkpoint's slot is gone (dropped, or invalidated by "
                        "max_slot_wal_keep_size), since the changes after the checkpoint are lost then; with "
                        "never or initial that is an error that says so.",
            .heartbeat_interval = "While the captured tables are idle, how often to ask the server for its current "
                                  "WAL position, published as progress so the slot frees WAL other tables write. "
                                  "0: only when the server sends a keepalive by itself.",
            .transaction_id = "txId:LSN"},
           {.when_needed = true, .initial_only = true});
  spec.example =
      "sources:\n"
      "  shop:\n"
      "    type: postgres_cdc\n"
      "    dsn: postgres://pipe:${PG_PASSWORD}@localhost:5432/shop\n"
      "    tables: [public.customers, public.orders]\n"
      "    envelope: row\n";
  return spec;
}

Result<std::unique_ptr<Source>> BuildPostgresCdc(const Options& options, const BuildContext&) {
  using namespace postgres_cdc;
  PostgresCdcSettings settings;
  auto dsn = postgres_client::DsnOption(options);
  if (!dsn.ok()) return dsn.error();
  settings.dsn = std::move(dsn).value();
  settings.slot = options.GetString("slot");
  settings.publication = options.GetString("publication");
  settings.tables = options.GetStringList("tables");
  settings.create_publication = options.GetBool("create_publication");
  auto column_rules = cdc::ColumnRules::FromOptions(options);
  if (!column_rules.ok()) return column_rules.error();
  settings.column_rules = std::move(column_rules).value();
  auto common = cdc::CommonSettingsOf(options);
  if (!common.ok()) return common.error();
  static_cast<cdc::CommonSettings&>(settings) = *common;
  return std::unique_ptr<Source>(std::make_unique<PostgresCdcSource>(std::move(settings)));
}

}  // namespace

void RegisterPostgresCdcSource(Registry& registry) { registry.AddSource(PostgresCdcSpec(), BuildPostgresCdc); }

}  // namespace pipeline
