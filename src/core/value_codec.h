// A compact binary form of Value, for state snapshots (SQL tables, aggregates, join buffers). Every kind keeps
// its type, so Decode(Encode(v)) == v with the same kinds (a Date stays a Date, a Decimal keeps its scale).
// Not a wire format: it may change between pipe versions, and snapshots carry their own version.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "core/value.h"

namespace pipeline {

void EncodeValue(const Value& v, std::string& out);

// Reads one value from the front of `in` and advances it; fails on truncated or unknown input.
Result<Value> DecodeValue(std::string_view& in);

}  // namespace pipeline
