// DECIMAL arithmetic needed by the functions (rounding with Java's RoundingMode names, comparison,
// double <-> decimal like java.math.BigDecimal.valueOf).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/value.h"

namespace pipeline::sql::scalar {

enum class RoundingMode { kHalfUp, kHalfDown, kDown, kFloor, kCeiling };

__int128 Pow10(int n);
int DigitCount(__int128 v);  // digits of |v|; 1 for 0

// Changes the scale, rounding when digits are dropped. Precision is kept unless it is too small for the
// result, then it grows.
Decimal Rescale(const Decimal& d, int new_scale, RoundingMode mode);
int CompareDecimal(const Decimal& a, const Decimal& b);

// Java's BigDecimal.valueOf(double): the shortest decimal that reads back as the same double.
std::optional<Decimal> DecimalFromDouble(double v);
std::optional<Decimal> ParseDecimal(std::string_view text);

// ksqlDB rounding (ROUND): half away from zero for positive, half toward zero for negative values,
// i.e. ties go up (towards +infinity), like Math.round.
inline RoundingMode RoundHalfUpMode(const Decimal& d) {
  return d.unscaled > 0 ? RoundingMode::kHalfUp : RoundingMode::kHalfDown;
}

}  // namespace pipeline::sql::scalar
