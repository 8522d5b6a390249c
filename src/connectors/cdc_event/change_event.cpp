#include "connectors/cdc_event/change_event.h"

#include "connectors/cdc_event/column_rules.h"

#include <chrono>

namespace pipeline::cdc {

OptionSpec EnvelopeOption() {
  return {.name = "envelope",
          .type = OptionType::kEnum,
          .description = "debezium: Debezium's change event {before, after, source, op, ts_ms}; row: the row "
                         "itself, a delete as a tombstone (null value) with the key.",
          .default_value = "debezium",
          .choices = {"debezium", "row"}};
}

Envelope EnvelopeOf(const Options& options) {
  return options.GetString("envelope") == "row" ? Envelope::kRow : Envelope::kDebezium;
}

void AddCommonOptions(std::vector<OptionSpec>& options, const CommonOptionTexts& texts, SnapshotModes modes) {
  std::vector<std::string> snapshot_modes = {"never", "initial"};
  if (modes.initial_only) snapshot_modes.push_back("initial_only");
  if (modes.when_needed) snapshot_modes.push_back("when_needed");
  options.push_back(EnvelopeOption());
  std::vector<OptionSpec> common = {
          {.name = "topic_prefix",
           .type = OptionType::kString,
           .description = "Records get the topic <topic_prefix>." + texts.topic_parts + ". Default: the stream name."},
          {.name = "snapshot",
           .type = OptionType::kEnum,
           .description = texts.snapshot,
           .default_value = "never",
           .choices = std::move(snapshot_modes)},
          {.name = "heartbeat_interval",
           .type = OptionType::kDuration,
           .description = texts.heartbeat_interval,
           .default_value = "10s"},
          {.name = "batch_size", .type = OptionType::kInt, .description = "Most records per batch.", .default_value = "1024"},
          {.name = "transaction_metadata",
           .type = OptionType::kBool,
           .description = "As Debezium's provide.transaction.metadata: a BEGIN and an END record around each "
                          "transaction's changes on the topic <topic_prefix>.transaction (key {id}, value {status, "
                          "id, event_count, data_collections: [{data_collection, event_count}], ts_ms}; id is " +
                          texts.transaction_id + "), and in each debezium change event the block transaction: {id, "
                          "total_order, data_collection_order}.",
           .default_value = "false"},
          {.name = "tombstones_on_delete",
           .type = OptionType::kBool,
           .description = "envelope: debezium: each delete event is followed by a record with the same key and a "
                          "null value, so that a compacted Kafka topic forgets the key (Debezium's "
                          "tombstones.on.delete, which is true by default there). envelope: row writes a delete as "
                          "such a tombstone already.",
           .default_value = "false"}};
  for (OptionSpec& option : common) options.push_back(std::move(option));
  for (OptionSpec& option : ColumnRuleOptions(texts.topic_parts)) options.push_back(std::move(option));
}

Result<CommonSettings> CommonSettingsOf(const Options& options) {
  CommonSettings settings;
  settings.envelope = EnvelopeOf(options);
  settings.topic_prefix = options.GetString("topic_prefix");
  settings.heartbeat_interval = std::chrono::milliseconds(options.GetDurationMs("heartbeat_interval"));
  if (settings.heartbeat_interval.count() < 0) return options.ErrorAt("heartbeat_interval", "must not be negative");
  if (options.GetInt("batch_size") <= 0) return options.ErrorAt("batch_size", "must be positive");
  settings.batch_size = static_cast<size_t>(options.GetInt("batch_size"));
  const std::string snapshot = options.GetString("snapshot");
  settings.snapshot_when_needed = snapshot == "when_needed";
  settings.snapshot_only = snapshot == "initial_only";
  settings.snapshot_initial = snapshot == "initial" || settings.snapshot_when_needed || settings.snapshot_only;
  settings.transaction_metadata = options.GetBool("transaction_metadata");
  settings.tombstones_on_delete = options.GetBool("tombstones_on_delete");
  return settings;
}

std::optional<Record> TombstoneAfter(const Record& change_event) {
  const Value* op = change_event.value.Field("op");
  if (!op || !op->is_string() || op->as_string() != "d") return std::nullopt;
  Record tombstone;
  tombstone.topic = change_event.topic;
  tombstone.timestamp = change_event.timestamp;
  tombstone.key = change_event.key;
  return tombstone;
}

FieldNamesPtr MakeFieldNames(std::vector<std::string> names) {
  auto shape = std::make_shared<FieldNames>();
  shape->names = std::move(names);
  return shape;
}

Value DebeziumValue(Change& change, Value source) {
  static const FieldNamesPtr names = MakeFieldNames({"before", "after", "source", "op", "ts_ms", "transaction"});
  // ts_ms: when the connector processed the change, as Debezium's is; the database's time is source.ts_ms.
  const int64_t now =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  Struct s;
  s.names = names;
  s.values = {std::move(change.before),
              std::move(change.after),
              std::move(source),
              Value(std::string(1, change.op)),
              Value(now),
              Value()};
  return Value(std::move(s));
}

}  // namespace pipeline::cdc
