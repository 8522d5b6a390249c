// The `postgres` sink: its options (the reference docs come from here) and its factory.
#include "connectors/postgres/postgres_sink.h"
#include "connectors/postgres/postgres_spec.h"
#include "connectors/postgres_client/postgres_dsn.h"
#include "plugin/batch_options.h"
#include "plugin/registry.h"

namespace pipeline::postgres {

ComponentSpec PostgresSinkSpec() {
  ComponentSpec spec;
  spec.type = "postgres";
  spec.kind = ComponentKind::kSink;
  spec.summary = "Writes records to PostgreSQL tables: COPY, upserts, updates and deletes, one transaction per flush.";
  spec.options = {
      {.name = "dsn",
       .type = OptionType::kString,
       .description = "libpq connection string: postgres://user:password@host:port/database or 'host=... "
                      "dbname=...'. Without `tls` it may carry sslmode, sslrootcert, sslcert and sslkey. The password "
                      "never appears in a message.",
       .required = true,
       .secret = true},
      postgres_client::PostgresTlsOption(),
      {.name = "table",
       .type = OptionType::kString,
       .description = "The target table, a record template: {topic}, {table} (the topic after its last dot), "
                      "value fields... A name with one dot is schema.table.",
       .default_value = "{table}"},
      {.name = "mode",
       .type = OptionType::kEnum,
       .description = "insert: COPY every record as a new row. upsert: INSERT … ON CONFLICT (primary_key) DO UPDATE, "
                      "after collapsing each flush to the last change per key. update: UPDATE the row with the "
                      "record's key (a record whose row is missing is rejected).",
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
       .description = "Create a missing table from the first record's fields (bigint, double precision, numeric, "
                      "boolean, text, bytea, date, time, timestamptz, jsonb) with primary_key as its primary key.",
       .default_value = "false"},
      {.name = "auto_evolve",
       .type = OptionType::kBool,
       .description = "Add a column (ALTER TABLE … ADD COLUMN) when records carry a field the table lacks. "
                      "Otherwise such a record fails the pipeline with the column's name.",
       .default_value = "false"},
      BatchOption(PostgresSinkSettings{}.batch,
                  "When to write what is held, in one transaction (also at every flush_interval): once one of "
                  "these limits is reached; max_bytes counts the records' keys and values approximately."),
      {.name = "exactly_once",
       .type = OptionType::kBool,
       .description = "Store each source lane's last written position in a pipe_offsets table within the same "
                      "transaction, and skip records at or below it after a restart: each change written once, "
                      "even in insert mode (needs a source with stable positions: file, kafka, postgres_cdc).",
       .default_value = "false"},
  };
  spec.example =
      "sinks:\n"
      "  warehouse:\n"
      "    type: postgres\n"
      "    inputs: [customers]\n"
      "    dsn: postgres://pipe:${PG_PASSWORD}@localhost:5432/warehouse\n"
      "    table: \"{table}\"\n"
      "    mode: upsert\n"
      "    delete_on_tombstone: true\n"
      "    auto_create: true\n";
  return spec;
}

Result<std::unique_ptr<Sink>> BuildPostgresSink(const Options& options, const BuildContext&) {
  PostgresSinkSettings s;
  auto dsn = postgres_client::DsnOption(options);
  if (!dsn.ok()) return dsn.error();
  s.dsn = std::move(dsn).value();
  auto table = RecordTemplate::Parse(options.GetString("table"));
  if (!table.ok()) return options.ErrorAt("table", table.error().message());
  if (table->text().empty()) return options.ErrorAt("table", "must name a table");
  s.table = std::move(*table);
  const std::string mode = options.GetString("mode");
  s.plan.mode = mode == "upsert" ? WriteMode::kUpsert : mode == "update" ? WriteMode::kUpdate : WriteMode::kInsert;
  s.plan.primary_key = options.GetStringList("primary_key");
  s.plan.delete_on_tombstone = options.GetBool("delete_on_tombstone");
  s.auto_create = options.GetBool("auto_create");
  s.auto_evolve = options.GetBool("auto_evolve");
  s.exactly_once = options.GetBool("exactly_once");
  auto batch = ParseBatchOptions(options);
  if (!batch.ok()) return batch.error();
  s.batch = *batch;
  return std::unique_ptr<Sink>(std::make_unique<PostgresSink>(std::move(s)));
}

}  // namespace pipeline::postgres
