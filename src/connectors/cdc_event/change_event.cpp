#include "connectors/cdc_event/change_event.h"

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
