// The `postgres` source: its options (the reference docs come from here) and its factory.
#include "connectors/postgres/postgres_spec.h"
#include "connectors/postgres/query_source.h"
#include "connectors/postgres_client/postgres_dsn.h"

namespace pipeline::postgres {

ComponentSpec PostgresQuerySourceSpec() {
  ComponentSpec spec;
  spec.type = "postgres";
  spec.kind = ComponentKind::kSource;
  spec.summary = "Polls a PostgreSQL table or query (bulk, incrementing, timestamp), as the JDBC source connector "
                 "does; it cannot see deletes.";
  spec.options = {
      {.name = "dsn",
       .type = OptionType::kString,
       .description = "libpq connection string: postgres://user:password@host:port/database or 'host=... "
                      "dbname=...'. Without `tls` it may carry sslmode and the other TLS keywords. The password never "
                      "appears in a message.",
       .required = true,
       .secret = true},
      postgres_client::PostgresTlsOption(),
      {.name = "mode",
       .type = OptionType::kEnum,
       .description = "bulk: every row at every poll. incrementing: rows whose incrementing_column is above the last "
                      "value seen. timestamp: rows whose timestamp_column is after the last one seen. "
                      "timestamp+incrementing: (timestamp, incrementing) after the last pair seen, so rows sharing "
                      "a timestamp are not missed.",
       .default_value = "bulk",
       .choices = {"bulk", "incrementing", "timestamp", "timestamp+incrementing"}},
      {.name = "table",
       .type = OptionType::kString,
       .description = "The table to read (schema.table or table). Give this or query."},
      {.name = "query",
       .type = OptionType::kString,
       .description = "A SELECT to read instead of a table; the mode's conditions are added around it."},
      {.name = "incrementing_column",
       .type = OptionType::kString,
       .description = "A strictly increasing integer column (incrementing, timestamp+incrementing)."},
      {.name = "timestamp_column",
       .type = OptionType::kString,
       .description = "A timestamp or timestamptz column set on every insert and update (timestamp modes); rows "
                      "where it is null are not read. Records take it as their event time."},
      {.name = "poll_interval",
       .type = OptionType::kDuration,
       .description = "How long after one poll ends the next begins.",
       .default_value = "5s"},
      {.name = "timestamp_delay",
       .type = OptionType::kDuration,
       .description = "Read only rows whose timestamp is at least this old: a margin for transactions that commit "
                      "after rows with a later timestamp were read.",
       .default_value = "0s"},
      {.name = "batch_size",
       .type = OptionType::kInt,
       .description = "Rows fetched from the poll's cursor at a time: the most records per batch.",
       .default_value = "1000"},
      {.name = "once",
       .type = OptionType::kBool,
       .description = "mode: bulk only: read the query once and end, so that a pipeline run by cron finishes.",
       .default_value = "false"},
      {.name = "topic",
       .type = OptionType::kString,
       .description = "The records' topic. Default: the table's name, or the stream name for a query."},
  };
  spec.example =
      "sources:\n"
      "  orders:\n"
      "    type: postgres\n"
      "    dsn: postgres://pipe:${PG_PASSWORD}@localhost:5432/shop\n"
      "    table: public.orders\n"
      "    mode: timestamp+incrementing\n"
      "    timestamp_column: updated_at\n"
      "    incrementing_column: id\n"
      "    poll_interval: 1s\n";
  spec.ends_by_itself = [](const Options& o) { return o.GetString("mode") == "bulk" && o.GetBool("once"); };
  return spec;
}

Result<std::unique_ptr<Source>> BuildPostgresQuerySource(const Options& options, const BuildContext&) {
  PostgresQuerySettings s;
  auto dsn = postgres_client::DsnOption(options);
  if (!dsn.ok()) return dsn.error();
  s.dsn = std::move(dsn).value();
  const std::string mode = options.GetString("mode");
  s.poll.mode = mode == "incrementing"             ? PollMode::kIncrementing
                : mode == "timestamp"              ? PollMode::kTimestamp
                : mode == "timestamp+incrementing" ? PollMode::kTimestampIncrementing
                                                   : PollMode::kBulk;
  s.poll.table = options.GetString("table");
  s.poll.query = options.GetString("query");
  if (s.poll.table.empty() == s.poll.query.empty())
    return options.ErrorAt(s.poll.table.empty() ? "table" : "query", "give either table or query, not both or neither");
  s.poll.incrementing_column = options.GetString("incrementing_column");
  s.poll.timestamp_column = options.GetString("timestamp_column");
  if (UsesIncrementing(s.poll.mode) && s.poll.incrementing_column.empty())
    return options.ErrorAt("mode", "mode " + mode + " needs incrementing_column");
  if (UsesTimestamp(s.poll.mode) && s.poll.timestamp_column.empty())
    return options.ErrorAt("mode", "mode " + mode + " needs timestamp_column");
  s.poll.timestamp_delay_ms = options.GetDurationMs("timestamp_delay");
  s.poll_interval = std::chrono::milliseconds(options.GetDurationMs("poll_interval"));
  if (options.GetInt("batch_size") <= 0) return options.ErrorAt("batch_size", "must be positive");
  s.batch_size = static_cast<size_t>(options.GetInt("batch_size"));
  s.once = options.GetBool("once");
  if (s.once && s.poll.mode != PollMode::kBulk)
    return options.ErrorAt("once", "only mode: bulk ends after one poll; the other modes follow the table");
  s.topic = options.GetString("topic");
  return std::unique_ptr<Source>(std::make_unique<PostgresQuerySource>(std::move(s)));
}

}  // namespace pipeline::postgres
