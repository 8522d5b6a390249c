// A hashable identity for the key columns of a row (state store keys, join lookups).
#pragma once

#include <string>
#include <vector>

#include "core/value.h"

namespace pipeline::sql {

// Appends a type-tagged encoding of v, so 1 and '1' differ and 1 and 1.0 are equal.
void AppendKeyBytes(const Value& v, std::string& out);
std::string KeyOf(const std::vector<Value>& values, size_t begin, size_t end);
void AppendKeyOf(const std::vector<Value>& values, size_t begin, size_t end, std::string& out);

}  // namespace pipeline::sql
