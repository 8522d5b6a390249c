// What the engine's unit tests feed it: a record from a key, a value and a timestamp. Tests only.
#pragma once

#include <cstdint>
#include <utility>

#include "core/record.h"

namespace pipeline::sql::testing {

inline Record Rec(Value key, Value value, int64_t ts) {
  Record r;
  r.key = std::move(key);
  r.value = std::move(value);
  r.timestamp = ts;
  return r;
}

}  // namespace pipeline::sql::testing
