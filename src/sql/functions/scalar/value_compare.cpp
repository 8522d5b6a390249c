#include "sql/functions/scalar/value_compare.h"

#include <algorithm>

#include "core/decimal.h"
#include "sql/functions/scalar/value_access.h"

namespace pipeline::sql::scalar {

namespace {

template <class T>
int Three(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

int CompareSignedBytes(const std::string& a, const std::string& b) {
  size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    auto x = static_cast<signed char>(a[i]);
    auto y = static_cast<signed char>(b[i]);
    if (x != y) return x < y ? -1 : 1;
  }
  return Three(a.size(), b.size());
}

}  // namespace

int CompareValues(const Value& a, const Value& b) {
  using K = Value::Kind;
  if (a.is_null() || b.is_null()) return Three(!a.is_null(), !b.is_null());
  if (a.is_number() && b.is_number()) {
    if (a.is_int() && b.is_int()) return Three(a.as_int(), b.as_int());
    if (a.is_double() || b.is_double()) return Three(a.ToDouble(), b.ToDouble());
    return CompareDecimal(AsDecimal(a), AsDecimal(b));
  }
  if (a.kind() != b.kind()) return Three(static_cast<int>(a.kind()), static_cast<int>(b.kind()));
  switch (a.kind()) {
    case K::kBool: return Three(a.as_bool(), b.as_bool());
    case K::kString: return Three(a.as_string().compare(b.as_string()), 0);
    case K::kBytes: return CompareSignedBytes(a.as_bytes().data, b.as_bytes().data);
    case K::kDate: return Three(a.as_date().days, b.as_date().days);
    case K::kTime: return Three(a.as_time().millis, b.as_time().millis);
    case K::kTimestamp: return Three(a.as_timestamp().millis, b.as_timestamp().millis);
    case K::kArray: {
      const Array& x = a.as_array();
      const Array& y = b.as_array();
      for (size_t i = 0; i < std::min(x.size(), y.size()); ++i)
        if (int c = CompareValues(x[i], y[i])) return c;
      return Three(x.size(), y.size());
    }
    default: return 0;
  }
}

Value CoerceNumber(const Value& v, TypeId to) {
  if (to == TypeId::kDouble && (v.is_int() || v.is_decimal())) return Value(v.ToDouble());
  if (to == TypeId::kDecimal && v.is_int()) return Value(Decimal{v.as_int(), 19, 0});
  return v;
}

}  // namespace pipeline::sql::scalar
