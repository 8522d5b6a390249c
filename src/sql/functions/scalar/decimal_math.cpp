#include "sql/functions/scalar/decimal_math.h"

#include <charconv>
#include <cmath>

#include "sql/functions/scalar/value_access.h"

namespace pipeline::sql::scalar {

__int128 Pow10(int n) {
  __int128 r = 1;
  for (int i = 0; i < n; ++i) r *= 10;
  return r;
}

int DigitCount(__int128 v) {
  if (v < 0) v = -v;
  int n = 1;
  while (v >= 10) {
    v /= 10;
    ++n;
  }
  return n;
}

Decimal Rescale(const Decimal& d, int new_scale, RoundingMode mode) {
  Decimal out = d;
  out.scale = new_scale;
  if (new_scale >= d.scale) {
    out.unscaled = d.unscaled * Pow10(new_scale - d.scale);
  } else {
    int drop = d.scale - new_scale;
    if (drop > 38) {
      out.unscaled = 0;
    } else {
      __int128 div = Pow10(drop);
      __int128 q = d.unscaled / div;
      __int128 r = d.unscaled % div;  // same sign as unscaled
      __int128 abs_r2 = (r < 0 ? -r : r) * 2;
      bool negative = d.unscaled < 0;
      bool away = false;  // move one unit away from zero
      switch (mode) {
        case RoundingMode::kHalfUp: away = abs_r2 >= div; break;
        case RoundingMode::kHalfDown: away = abs_r2 > div; break;
        case RoundingMode::kDown: away = false; break;
        case RoundingMode::kFloor: away = negative && r != 0; break;
        case RoundingMode::kCeiling: away = !negative && r != 0; break;
      }
      if (away) q += negative ? -1 : 1;
      out.unscaled = q;
    }
  }
  int needed = std::max(DigitCount(out.unscaled), new_scale > 0 ? new_scale + 1 : 1);
  if (out.precision < needed) out.precision = needed;
  return out;
}

int CompareDecimal(const Decimal& a, const Decimal& b) {
  int scale = std::max(a.scale, b.scale);
  if (scale - std::min(a.scale, b.scale) > 30) {
    double x = a.ToDouble(), y = b.ToDouble();
    return x < y ? -1 : x > y ? 1 : 0;
  }
  __int128 x = a.unscaled * Pow10(scale - a.scale);
  __int128 y = b.unscaled * Pow10(scale - b.scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

std::optional<Decimal> ParseDecimal(std::string_view text) {
  Decimal d;
  size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) negative = text[i++] == '-';
  bool any = false, dot = false;
  int exponent = 0, digits = 0;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      any = true;
      if (d.unscaled != 0 && ++digits >= 37) return std::nullopt;  // beyond what __int128 holds safely
      d.unscaled = d.unscaled * 10 + (c - '0');
      if (dot) ++d.scale;
    } else if (c == '.' && !dot) {
      dot = true;
    } else if ((c == 'e' || c == 'E') && any) {
      int e = 0;
      auto [p, ec] = std::from_chars(text.data() + i + 1 + (text[i + 1] == '+'), text.data() + text.size(), e);
      if (ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
      exponent = e;
      break;
    } else {
      return std::nullopt;
    }
  }
  if (!any) return std::nullopt;
  d.scale -= exponent;
  if (d.scale < 0) {
    d.unscaled *= Pow10(-d.scale);
    d.scale = 0;
  }
  if (negative) d.unscaled = -d.unscaled;
  d.precision = std::max(DigitCount(d.unscaled), d.scale);
  return d;
}

std::optional<Decimal> DecimalFromDouble(double v) {
  if (!std::isfinite(v)) return std::nullopt;
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  if (ec != std::errc()) return std::nullopt;
  std::optional<Decimal> d = ParseDecimal(std::string_view(buf, static_cast<size_t>(end - buf)));
  // Double.toString always shows one fractional digit ("3.0"), so BigDecimal.valueOf(3.0) has scale 1.
  if (d && d->scale == 0) *d = Rescale(*d, 1, RoundingMode::kDown);
  return d;
}

Value CoerceNumber(const Value& v, TypeId to) {
  if (to == TypeId::kDouble && (v.is_int() || v.is_decimal())) return Value(v.ToDouble());
  if (to == TypeId::kDecimal && v.is_int()) return Value(Decimal{v.as_int(), 19, 0});
  return v;
}

}  // namespace pipeline::sql::scalar
