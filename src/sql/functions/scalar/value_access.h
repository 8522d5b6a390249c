// Reading evaluated arguments. An argument may arrive in a wider parameter than its own type (an INT passed
// to a DOUBLE or DECIMAL parameter is still a Value int64), so numeric readers accept every numeric kind.
#pragma once

#include <cstdint>
#include <string>

#include "core/value.h"
#include "sql/types.h"

namespace pipeline::sql::scalar {

inline int64_t AsInt(const Value& v) {
  if (v.is_int()) return v.as_int();
  if (v.is_double()) return static_cast<int64_t>(v.as_double());
  if (v.is_decimal()) {
    const Decimal& d = v.as_decimal();
    __int128 u = d.unscaled;
    for (int i = 0; i < d.scale; ++i) u /= 10;
    return static_cast<int64_t>(u);
  }
  return 0;
}

inline double AsDouble(const Value& v) { return v.ToDouble(); }

// INT/BIGINT widen to DECIMAL(10, 0) / DECIMAL(19, 0) as in ksqlDB.
inline Decimal AsDecimal(const Value& v) {
  if (v.is_decimal()) return v.as_decimal();
  if (v.is_int()) return Decimal{v.as_int(), 19, 0};
  return Decimal{};
}

inline const std::string& AsString(const Value& v) { return v.as_string(); }
inline const std::string& AsBytes(const Value& v) { return v.as_bytes().data; }

// Java int arithmetic: an INT result wraps to 32 bits.
inline int64_t WrapInt32(int64_t v) { return static_cast<int32_t>(static_cast<uint32_t>(v)); }

// Converts a numeric value to the representation of `to` (INT/BIGINT -> DOUBLE or DECIMAL, DECIMAL -> DOUBLE),
// so that a function whose result type was widened returns values of that type. Other values pass through.
Value CoerceNumber(const Value& v, TypeId to);

}  // namespace pipeline::sql::scalar
