// RecordPart: which half of a record a Kafka Connect `$Key` / `$Value` transform variant works on.
#pragma once

#include <string_view>

#include "core/record.h"

namespace pipeline {

enum class RecordPart { kKey, kValue };

inline Value& PartOf(Record& record, RecordPart part) { return part == RecordPart::kKey ? record.key : record.value; }
inline const Value& PartOf(const Record& record, RecordPart part) {
  return part == RecordPart::kKey ? record.key : record.value;
}
inline std::string_view PartName(RecordPart part) { return part == RecordPart::kKey ? "key" : "value"; }

}  // namespace pipeline
