#include "core/decimal.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>

namespace pipeline {

namespace {

constexpr int kMaxDigits = 38;  // 10^38 - 1 < 2^127: every 38-digit number fits

}  // namespace

__int128 Pow10(int n) {
  // Every power an __int128 holds, computed once: decimal arithmetic asks for them per value.
  static const std::array<__int128, kMaxDigits + 1> kPowers = [] {
    std::array<__int128, kMaxDigits + 1> p{};
    p[0] = 1;
    for (size_t i = 1; i < p.size(); ++i) p[i] = p[i - 1] * 10;
    return p;
  }();
  if (n <= 0) return 1;
  return kPowers[static_cast<size_t>(std::min(n, kMaxDigits))];
}

int DigitCount(__int128 v) {
  if (v < 0) v = -v;
  // Compared with growing powers of ten rather than divided: a 128-bit division is a slow library call.
  int n = 1;
  while (n <= kMaxDigits && v >= Pow10(n)) ++n;
  return n;
}

Decimal Rescale(const Decimal& d, int scale, RoundingMode mode) {
  Decimal out = d;
  out.scale = scale;
  if (scale >= d.scale) {
    out.unscaled = d.unscaled * Pow10(scale - d.scale);
    return out;
  }
  int drop = d.scale - scale;
  if (drop > kMaxDigits) {
    out.unscaled = 0;
    return out;
  }
  __int128 div = Pow10(drop);
  __int128 q = d.unscaled / div;
  __int128 r = d.unscaled % div;  // same sign as unscaled
  __int128 twice_r = (r < 0 ? -r : r) * 2;
  bool negative = d.unscaled < 0;
  bool away = false;  // one unit away from zero
  switch (mode) {
    case RoundingMode::kHalfUp: away = twice_r >= div; break;
    case RoundingMode::kHalfDown: away = twice_r > div; break;
    case RoundingMode::kDown: away = false; break;
    case RoundingMode::kFloor: away = negative && r != 0; break;
    case RoundingMode::kCeiling: away = !negative && r != 0; break;
  }
  if (away) q += negative ? -1 : 1;
  out.unscaled = q;
  return out;
}

std::optional<Decimal> FitDecimal(const Decimal& d, int precision, int scale) {
  Decimal r = Rescale(d, scale, RoundingMode::kHalfUp);
  r.precision = precision;
  if (r.unscaled != 0 && DigitCount(r.unscaled) > precision) return std::nullopt;
  return r;
}

int CompareDecimal(const Decimal& a, const Decimal& b) {
  int scale = std::max(a.scale, b.scale);
  if (scale - std::min(a.scale, b.scale) > 30) {  // aligning the scales would overflow
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
  int significant = 0, exponent = 0;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      any = true;
      if ((d.unscaled != 0 || c != '0') && ++significant > kMaxDigits) return std::nullopt;
      d.unscaled = d.unscaled * 10 + (c - '0');
      if (dot) ++d.scale;
    } else if (c == '.' && !dot) {
      dot = true;
    } else if ((c == 'e' || c == 'E') && any) {
      const char* first = text.data() + i + 1;
      const char* last = text.data() + text.size();
      if (first < last && *first == '+') ++first;
      auto [p, ec] = std::from_chars(first, last, exponent);
      if (ec != std::errc() || p != last) return std::nullopt;
      break;
    } else {
      return std::nullopt;
    }
  }
  if (!any) return std::nullopt;
  int64_t scale = static_cast<int64_t>(d.scale) - exponent;
  if (scale < 0) {
    if (d.unscaled != 0 && DigitCount(d.unscaled) - scale > kMaxDigits) return std::nullopt;
    d.unscaled *= Pow10(static_cast<int>(-scale));
    scale = 0;
  }
  if (scale > 1'000'000) return std::nullopt;
  d.scale = static_cast<int32_t>(scale);
  if (negative) d.unscaled = -d.unscaled;
  d.precision = std::max(DigitCount(d.unscaled), d.scale);
  return d;
}

Decimal DecimalFromInt(int64_t v) {
  Decimal d;
  d.unscaled = v;
  d.precision = DigitCount(v);
  return d;
}

std::optional<Decimal> DecimalValueOf(double v) {
  if (!std::isfinite(v)) return std::nullopt;
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  if (ec != std::errc()) return std::nullopt;
  std::optional<Decimal> d = ParseDecimal(std::string_view(buf, static_cast<size_t>(end - buf)));
  // Double.toString always shows one fractional digit ("3.0"), so BigDecimal.valueOf(3.0) has scale 1.
  if (d && d->scale == 0) {
    *d = Rescale(*d, 1, RoundingMode::kDown);
    d->precision = std::max(DigitCount(d->unscaled), 2);
  }
  return d;
}

Decimal DecimalFromDouble(double v, int scale) {
  // The binary value itself (as new BigDecimal(double)), two digits past the scale, then rounded once more.
  char buf[400];
  std::snprintf(buf, sizeof buf, "%.*f", std::min(scale + 2, 30), v);
  std::optional<Decimal> d = ParseDecimal(buf);
  if (!d) return Decimal{};
  return Rescale(*d, scale, RoundingMode::kHalfUp);
}

}  // namespace pipeline
