// The order in which ksqlDB visits the entries of a map. Its JSON deserializer builds each MAP column as
// `new java.util.HashMap<>(size)` filled in document order, and a HashMap iterates by hash bucket, not insertion.
// REDUCE over a map folds in that order, so a non-commutative reduction only agrees with ksqlDB when pipe visits
// the entries the same way. (Maps that ksqlDB builds otherwise, e.g. with MAP(...), may iterate differently.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/value.h"

namespace pipeline::sql::scalar {

// java.lang.String#hashCode of the UTF-8 text (over its UTF-16 code units).
int32_t JavaStringHash(std::string_view utf8);

// Indexes into `m` in the order a HashMap created with capacity m.size() and filled in m's order iterates them.
// Keys that are not strings keep their place after the string keys (ksqlDB map keys are always strings).
std::vector<size_t> JavaHashMapOrder(const Map& m);

}  // namespace pipeline::sql::scalar
