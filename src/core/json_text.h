// The JSON text of a Value, as ksqlDB's JSON format writes it: DATE as days, TIME as ms of day, TIMESTAMP as epoch
// ms, BYTES as base64, DECIMAL as a plain number. In core because Value::ToString writes it; reading JSON
// (simdjson) is formats' (formats/json.h, which includes this).
#pragma once

#include <string>
#include <string_view>

#include "core/value.h"

namespace pipeline {

// Appends the JSON text of `v` to `out`.
void AppendJson(const Value& v, std::string& out);
std::string ToJson(const Value& v);
// Appends `s` as a quoted, escaped JSON string.
void AppendJsonString(std::string_view s, std::string& out);
// The text JSON holds for a double it cannot write as a number (NaN, ±Infinity), as a string: what Jackson, and so
// ksqlDB, writes. Empty for a finite double.
std::string_view NonFiniteDoubleText(double d);

}  // namespace pipeline
