// DataErrors shared by the transforms. Messages name the transform, the field and the problem, so that a
// user reading the dead-letter output knows what to change.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "core/value.h"
#include "transforms/common/record_part.h"

namespace pipeline {

inline Error NotAStructError(std::string_view transform, RecordPart part, const Value& v) {
  return DataError(std::string(transform) + ": the record " + std::string(PartName(part)) +
                   " must be a struct or a map, got " + std::string(Value::KindName(v.kind())));
}

inline Error FieldError(std::string_view transform, std::string_view field, const std::string& problem) {
  return DataError(std::string(transform) + ": field '" + std::string(field) + "': " + problem);
}

}  // namespace pipeline
