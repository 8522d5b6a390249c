// Decimal arithmetic on the 128-bit unscaled representation, rounding HALF_UP as Java's BigDecimal does in
// ksqlDB. Results carry the precision/scale the binder computed for the expression.
#pragma once

#include <optional>
#include <string>

#include "core/value.h"

namespace pipeline::sql {

__int128 Pow10(int n);
// Changes the scale, rounding HALF_UP when digits are dropped.
Decimal Rescale(const Decimal& d, int scale);
// Fits d into DECIMAL(precision, scale); nullopt when the integer part does not fit.
std::optional<Decimal> FitDecimal(const Decimal& d, int precision, int scale);
std::optional<Decimal> ParseDecimal(const std::string& text);
Decimal DecimalFromInt(int64_t v);
Decimal DecimalFromDouble(double v, int scale);
int CompareDecimal(const Decimal& a, const Decimal& b);
std::string DecimalToString(const Decimal& d);  // plain notation, keeps the scale ("1.50")
int DigitCount(__int128 v);

}  // namespace pipeline::sql
