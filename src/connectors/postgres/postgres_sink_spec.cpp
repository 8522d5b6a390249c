// The `postgres` sink: its options (the reference docs come from here) and its factory.
#include "connectors/postgres/postgres_sink.h"
#include "connectors/postgres/postgres_spec.h"
#include "connectors/postgres_client/postgres_dsn.h"
#include "connectors/sql_sink/table_sink_settings.h"
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
  };
  for (OptionSpec& option : sql_sink::TableSinkOptions(
           {.table_names = "A name with one dot is schema.table.",
            .modes = "insert: COPY every record as a new row. upsert: INSERT … ON CONFLICT (primary_key) DO UPDATE, "
                     "after collapsing each flush to the last change per key. update: UPDATE the row with the "
                     "record's key (a record whose row is missing is rejected).",
            .auto_create = "bigint, double precision, numeric, boolean, text, bytea, date, time, timestamptz, jsonb",
            .stable_sources = "file, kafka, postgres_cdc"}))
    spec.options.push_back(std::move(option));
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
  PIPE_RETURN_IF_ERROR(sql_sink::ParseTableSinkSettings(options, s));
  return std::unique_ptr<Sink>(std::make_unique<PostgresSink>(std::move(s)));
}

}  // namespace pipeline::postgres
