// The text of a value stored as a record header (pipe's headers are strings, Kafka's are bytes): strings and
// bytes as they are, null as a null header, anything else as its JSON-ish text.
#pragma once

#include <optional>
#include <string>

#include "core/value.h"

namespace pipeline {

inline std::optional<std::string> HeaderTextOf(const Value& v) {
  if (v.is_null()) return std::nullopt;
  if (v.is_string()) return v.as_string();
  if (v.is_bytes()) return v.as_bytes().data;
  return v.ToString();
}

}  // namespace pipeline
