// Row: the positional form of a record inside a query. Slots are resolved at bind time; pseudo-columns
// (ROWTIME, ROWPARTITION, ROWOFFSET, WINDOWSTART, WINDOWEND) live beside the values.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/record.h"
#include "core/value.h"

namespace pipeline::sql {

struct Row {
  std::vector<Value> values;
  int64_t rowtime = 0;
  int32_t partition = -1;
  int64_t offset = -1;
  std::optional<WindowBounds> window;
  bool key_absent = false;  // the source record had no key (so a copied key is written as no key)
};

}  // namespace pipeline::sql
