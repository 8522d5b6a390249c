// Decimal arithmetic on the 128-bit unscaled representation (core/value.h's Decimal), the one library the SQL
// engine's operators, aggregates and scalar functions share, so CAST, SUM and ROUND round alike. Rounding
// follows java.math.RoundingMode; ksqlDB's arithmetic and casts use HALF_UP (ties away from zero), its ROUND
// HALF_UP for positive and HALF_DOWN for negative values (ties towards +infinity, as Math.round).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/value.h"

namespace pipeline {

enum class RoundingMode { kHalfUp, kHalfDown, kDown, kFloor, kCeiling };

// 10^n for 0 <= n <= 38 (1 for n <= 0).
__int128 Pow10(int n);
int DigitCount(__int128 v);  // digits of |v|; 1 for 0

// Changes the scale, rounding by `mode` when digits are dropped. The precision (the declared type's) is kept:
// callers set the result type's.
Decimal Rescale(const Decimal& d, int scale, RoundingMode mode = RoundingMode::kHalfUp);
// Fits d into DECIMAL(precision, scale), HALF_UP; nullopt when the integer part does not fit.
std::optional<Decimal> FitDecimal(const Decimal& d, int precision, int scale);
int CompareDecimal(const Decimal& a, const Decimal& b);

// new BigDecimal(text): optional sign, digits with an optional point, optional exponent; nothing around it.
// nullopt for anything else, and for more digits than 128 bits hold (38).
std::optional<Decimal> ParseDecimal(std::string_view text);
Decimal DecimalFromInt(int64_t v);
// The double's binary value, as ksqlDB's DecimalUtil.cast(double) takes it (new BigDecimal(double)), rounded
// HALF_UP to `scale` digits; a zero Decimal for NaN, the infinities and values past 38 digits.
Decimal DecimalFromDouble(double v, int scale);
// BigDecimal.valueOf(double): the shortest decimal that reads back as the same double, at least one fractional
// digit (Double.toString's "3.0"); nullopt for NaN and the infinities.
std::optional<Decimal> DecimalValueOf(double v);

}  // namespace pipeline
