// The options the database sinks (`postgres`, `mysql`) share, declared and parsed once: the target table template,
// how records become row changes (mode, primary_key, delete_on_tombstone), creating and evolving tables,
// exactly_once, and the batch limits. Each sink adds what only it has (dsn, tls) and the words of its database.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "connectors/sql_sink/row_changes.h"
#include "plugin/batch_options.h"
#include "plugin/options.h"
#include "plugin/record_template.h"

namespace pipeline::sql_sink {

struct TableSinkSettings {
  RecordTemplate table;
  ChangePlan plan;
  bool auto_create = false;
  bool auto_evolve = false;
  bool exactly_once = false;
  // The shared `batch` option: write once this many records or (approximately) bytes are held, or once the oldest
  // held record waited max_age.
  BatchLimits batch{.max_records = 5000, .max_bytes = 16 << 20, .max_age = std::chrono::milliseconds(1000)};
};

// What the shared options mean in one database's words.
struct TableOptionTexts {
  std::string table_names;     // how a rendered name is read, e.g. "A name with one dot is schema.table."
  std::string modes;           // the statements of insert, upsert and update
  std::string auto_create;     // the types a created table gets
  std::string stable_sources;  // the sources exactly_once works with, e.g. "file, kafka, postgres_cdc"
};

std::vector<OptionSpec> TableSinkOptions(const TableOptionTexts& texts);
Status ParseTableSinkSettings(const Options& options, TableSinkSettings& settings);

}  // namespace pipeline::sql_sink
