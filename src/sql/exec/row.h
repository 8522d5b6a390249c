// Row: the positional form of a record inside a query. Slots are resolved at bind time; pseudo-columns
// (ROWTIME, ROWPARTITION, ROWOFFSET, WINDOWSTART, WINDOWEND) live beside the values.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "core/record.h"
#include "core/value.h"

namespace pipeline::sql {

// The headers of the record a row came from. Kafka Streams forwards a record's headers to every record its
// processing produces, so ksqlDB's output records carry the headers of the input record that caused them.
// Shared and immutable: rows are copied often (projections, table state, join buffers), headers never change.
using RowHeaders = std::shared_ptr<const std::vector<Header>>;

struct Row {
  std::vector<Value> values;
  int64_t rowtime = 0;
  int32_t partition = -1;
  int64_t offset = -1;
  std::optional<WindowBounds> window;
  bool key_absent = false;  // the source record had no key (so a copied key is written as no key)
  RowHeaders headers;       // null when the record had none
};

}  // namespace pipeline::sql
