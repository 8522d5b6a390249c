#include "sql/exec/decimal_math.h"

#include <array>
#include <cmath>
#include <cstdio>

namespace pipeline::sql {

__int128 Pow10(int n) {
  // Every power an __int128 holds, computed once: decimal arithmetic asks for them per value.
  static const std::array<__int128, 39> kPowers = [] {
    std::array<__int128, 39> p{};
    p[0] = 1;
    for (size_t i = 1; i < p.size(); ++i) p[i] = p[i - 1] * 10;
    return p;
  }();
  if (n <= 0) return 1;
  if (static_cast<size_t>(n) < kPowers.size()) return kPowers[static_cast<size_t>(n)];
  __int128 r = 1;
  for (int i = 0; i < n; ++i) r *= 10;
  return r;
}

int DigitCount(__int128 v) {
  if (v < 0) v = -v;
  // Compared with growing powers of ten rather than divided: a 128-bit division is a slow library call.
  int n = 1;
  while (n < 39 && v >= Pow10(n)) ++n;
  return n;
}

Decimal Rescale(const Decimal& d, int scale) {
  Decimal r = d;
  r.scale = scale;
  if (scale >= d.scale) {
    r.unscaled = d.unscaled * Pow10(scale - d.scale);
    return r;
  }
  __int128 div = Pow10(d.scale - scale);
  __int128 q = d.unscaled / div;
  __int128 rem = d.unscaled % div;
  if (rem < 0) rem = -rem;
  if (rem * 2 >= div) q += d.unscaled < 0 ? -1 : 1;
  r.unscaled = q;
  return r;
}

std::optional<Decimal> FitDecimal(const Decimal& d, int precision, int scale) {
  Decimal r = Rescale(d, scale);
  r.precision = precision;
  if (r.unscaled != 0 && DigitCount(r.unscaled) > precision) return std::nullopt;
  return r;
}

std::optional<Decimal> ParseDecimal(const std::string& text) {
  Decimal d;
  size_t i = 0;
  while (i < text.size() && text[i] == ' ') ++i;
  bool neg = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) neg = text[i++] == '-';
  bool any = false, point = false;
  int scale = 0;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.' && !point) { point = true; continue; }
    if (c < '0' || c > '9') break;
    d.unscaled = d.unscaled * 10 + (c - '0');
    if (point) ++scale;
    any = true;
  }
  int exponent = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    exponent = std::atoi(text.c_str() + i + 1);
    ++i;
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  }
  while (i < text.size() && text[i] == ' ') ++i;
  if (!any || i != text.size()) return std::nullopt;
  scale -= exponent;
  if (scale < 0) { d.unscaled *= Pow10(-scale); scale = 0; }
  if (neg) d.unscaled = -d.unscaled;
  d.scale = scale;
  d.precision = std::max(DigitCount(d.unscaled), scale);
  return d;
}

Decimal DecimalFromInt(int64_t v) {
  Decimal d;
  d.unscaled = v;
  d.precision = DigitCount(v);
  return d;
}

Decimal DecimalFromDouble(double v, int scale) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", std::min(scale + 2, 30), v);
  auto d = ParseDecimal(buf);
  if (!d) return Decimal{};
  return Rescale(*d, scale);
}

int CompareDecimal(const Decimal& a, const Decimal& b) {
  int s = std::max(a.scale, b.scale);
  __int128 x = a.unscaled * Pow10(s - a.scale);
  __int128 y = b.unscaled * Pow10(s - b.scale);
  return x < y ? -1 : x > y ? 1 : 0;
}

std::string DecimalToString(const Decimal& d) {
  __int128 v = d.unscaled;
  bool neg = v < 0;
  if (neg) v = -v;
  std::string digits;
  do { digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(v % 10))); v /= 10; } while (v > 0);
  if (d.scale > 0) {
    while (static_cast<int>(digits.size()) <= d.scale) digits.insert(digits.begin(), '0');
    digits.insert(digits.end() - d.scale, '.');
  }
  return neg ? "-" + digits : digits;
}

}  // namespace pipeline::sql
