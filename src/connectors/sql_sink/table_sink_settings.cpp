#include "connectors/sql_sink/table_sink_settings.h"

namespace pipeline::sql_sink {

std::vector<OptionSpec> TableSinkOptions(const TableOptionTexts& texts) {
  return {
      {.name = "table",
       .type = OptionType::kString,
       .description = "The target table, a record template: {topic}, {table} (the topic after its last dot), "
                      "value fields... " + texts.table_names,
       .default_value = "{table}"},
      {.name = "mode",
       .type = OptionType::kEnum,
       .description = texts.modes,
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
       .description = "Create a missing table from the first record's fields (" + texts.auto_create +
                      ") with primary_key as its primary key.",
       .default_value = "false"},
      {.name = "auto_evolve",
       .type = OptionType::kBool,
       .description = "Add a column (ALTER TABLE … ADD COLUMN) when records carry a field the table lacks. "
                      "Otherwise such a record fails the pipeline with the column's name.",
       .default_value = "false"},
      BatchOption(TableSinkSettings{}.batch,
                  "When to write what is held, in one transaction (also at every flush_interval): once one of "
                  "these limits is reached; max_bytes counts the records' keys and values approximately."),
      {.name = "exactly_once",
       .type = OptionType::kBool,
       .description = "Store each source lane's last written position in a pipe_offsets table within the same "
                      "transaction, and skip records at or below it after a restart: each change written once, "
                      "even in insert mode (needs a source with stable positions: " + texts.stable_sources + ").",
       .default_value = "false"},
  };
}

Status ParseTableSinkSettings(const Options& options, TableSinkSettings& settings) {
  auto table = RecordTemplate::Parse(options.GetString("table"));
  if (!table.ok()) return options.ErrorAt("table", table.error().message());
  if (table->text().empty()) return options.ErrorAt("table", "must name a table");
  settings.table = std::move(*table);
  const std::string mode = options.GetString("mode");
  settings.plan.mode = mode == "upsert"   ? WriteMode::kUpsert
                       : mode == "update" ? WriteMode::kUpdate
                                          : WriteMode::kInsert;
  settings.plan.primary_key = options.GetStringList("primary_key");
  settings.plan.delete_on_tombstone = options.GetBool("delete_on_tombstone");
  settings.auto_create = options.GetBool("auto_create");
  settings.auto_evolve = options.GetBool("auto_evolve");
  settings.exactly_once = options.GetBool("exactly_once");
  auto batch = ParseBatchOptions(options);
  if (!batch.ok()) return batch.error();
  settings.batch = *batch;
  return Status::Ok();
}

}  // namespace pipeline::sql_sink
