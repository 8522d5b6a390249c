// What the engine is made with and what it hands out: the operators and the planner include this instead of
// engine.h, so the engine's parts do not depend on its public face (engine.h includes this for its callers).
#pragma once

#include <cstddef>
#include <map>
#include <string>

#include "core/record.h"

namespace pipeline::sql {

struct EngineOptions {
  // Engine properties as ksqlDB names them, e.g. "ksql.persistence.default.format.value" = "JSON",
  // "ksql.functions.collect_list.limit", "ksql.output.topic.name.prefix".
  std::map<std::string, std::string> properties;
  std::string state_dir;  // empty = in memory only
  // Pass on only the last change per key that a PushAll batch makes to a table (Kafka Streams' record cache,
  // which ksqlDB sizes with cache.max.bytes.buffering), in the order of each key's last change. Queries reading the
  // table still see every change at once, as Kafka Streams' lookups read the store, so their answers do not depend
  // on the batch size. Off: every change, as the ksqlDB test runner shows them.
  bool coalesce_table_changes = false;
};

// An emitted record with the topic it goes to.
struct Emitted {
  std::string topic;
  Record record;
};

// An input record a query could not use: undecodable for its declared schema or format, or dropped because of an
// error (a NULL GROUP BY key, a table row without a key, a TIMESTAMP column that gives no time). Not a record that
// goes on with a NULL (a bad cast), nor one later than its window's grace period.
struct DroppedInput {
  size_t index = 0;  // in the records of the Push/PushAll call that took it
  std::string error;  // the processing error, "<query>: <message>"
};

}  // namespace pipeline::sql
