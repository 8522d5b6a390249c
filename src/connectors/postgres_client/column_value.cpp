#include "connectors/postgres_client/column_value.h"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "core/civil_date.h"

namespace pipeline::postgres_client {
namespace {

bool Digits(std::string_view s, size_t at, size_t n, int64_t& out) {
  if (at + n > s.size()) return false;
  auto [end, ec] = std::from_chars(s.data() + at, s.data() + at + n, out);
  return ec == std::errc() && end == s.data() + at + n;
}

// "YYYY-MM-DD" at the start of `s`; nullopt for BC dates and the infinities, which stay text.
std::optional<int64_t> ParseDate(std::string_view s) {
  int64_t y = 0, m = 0, d = 0;
  if (s.size() < 10 || s[4] != '-' || s[7] != '-' || !Digits(s, 0, 4, y) || !Digits(s, 5, 2, m) || !Digits(s, 8, 2, d))
    return std::nullopt;
  return DaysFromCivil(y, static_cast<unsigned>(m), static_cast<unsigned>(d));
}

// "YYYY-MM-DD HH:MM:SS[.ffffff][+HH[:MM[:SS]]]" (DateStyle ISO) as ISO 8601: "YYYY-MM-DDTHH:MM:SS.ffffff", in UTC
// with a "Z" when the text had an offset. Anything else (infinity, BC) comes back as it was.
std::string IsoTimestamp(std::string_view s) {
  auto days = ParseDate(s);
  int64_t hh = 0, mi = 0, ss = 0;
  if (!days || s.size() < 19 || s[10] != ' ' || !Digits(s, 11, 2, hh) || !Digits(s, 14, 2, mi) || !Digits(s, 17, 2, ss))
    return std::string(s);
  size_t at = 19;
  int64_t micros = 0;
  if (at < s.size() && s[at] == '.') {
    size_t digits = 0;
    for (++at; at < s.size() && std::isdigit(static_cast<unsigned char>(s[at])); ++at, ++digits)
      if (digits < 6) micros = micros * 10 + (s[at] - '0');
    for (; digits < 6; ++digits) micros *= 10;
  }
  int64_t seconds = *days * 86400 + hh * 3600 + mi * 60 + ss;
  bool zoned = at < s.size() && (s[at] == '+' || s[at] == '-');
  if (zoned) {
    const int sign = s[at] == '-' ? -1 : 1;
    int64_t oh = 0, om = 0, os = 0;
    if (!Digits(s, at + 1, 2, oh)) return std::string(s);
    if (at + 3 < s.size() && s[at + 3] == ':') Digits(s, at + 4, 2, om);
    if (at + 6 < s.size() && s[at + 6] == ':') Digits(s, at + 7, 2, os);
    seconds -= sign * (oh * 3600 + om * 60 + os);
  } else if (at != s.size()) {
    return std::string(s);
  }
  const int64_t day = FloorDiv(seconds, 86400);
  const int64_t second_of_day = seconds - day * 86400;
  const CivilDate date = CivilFromDays(day);
  char buffer[96];
  std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%06lld%s",
                static_cast<long long>(date.year), date.month, date.day, static_cast<long long>(second_of_day / 3600), static_cast<long long>(second_of_day / 60 % 60),
                static_cast<long long>(second_of_day % 60), static_cast<long long>(micros), zoned ? "Z" : "");
  return buffer;
}

// A numeric's digits as a Decimal when they fit 128 bits (38 digits); nullopt otherwise (NaN, ±Infinity, wider).
std::optional<Decimal> ParseNumeric(std::string_view s, int32_t type_modifier) {
  Decimal d;
  bool negative = !s.empty() && s[0] == '-';
  size_t at = negative ? 1 : 0;
  int digits = 0;
  bool point = false, any = false;
  for (; at < s.size(); ++at) {
    char c = s[at];
    if (c == '.' && !point) {
      point = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    any = true;
    if (digits > 0 || c != '0') ++digits;
    if (digits > 38) return std::nullopt;
    d.unscaled = d.unscaled * 10 + (c - '0');
    if (point) ++d.scale;
  }
  if (!any) return std::nullopt;
  if (negative) d.unscaled = -d.unscaled;
  // numeric(p, s) stores ((p << 16) | s) + 4 in its modifier; an unconstrained numeric has -1.
  if (type_modifier >= 4) d.precision = ((type_modifier - 4) >> 16) & 0xffff;
  return d;
}

Value Float(std::string_view text) {
  std::string copy(text);
  char* end = nullptr;
  double v = std::strtod(copy.c_str(), &end);
  // NaN and ±Infinity have no JSON number: they stay the server's words.
  if (end != copy.c_str() + copy.size() || !std::isfinite(v)) return Value(std::move(copy));
  return Value(v);
}

Value Bytea(std::string_view text) {
  if (text.size() < 2 || text[0] != '\\' || text[1] != 'x' || text.size() % 2 != 0) return Value(text);
  std::string out;
  out.reserve((text.size() - 2) / 2);
  for (size_t i = 2; i < text.size(); i += 2) {
    unsigned byte = 0;
    auto [end, ec] = std::from_chars(text.data() + i, text.data() + i + 2, byte, 16);
    if (ec != std::errc() || end != text.data() + i + 2) return Value(text);
    out.push_back(static_cast<char>(byte));
  }
  return Value(Bytes{std::move(out)});
}

}  // namespace

bool HasTypeMapping(Oid type) {
  using namespace pg_type;
  switch (type) {
    case kBool:
    case kBytea:
    case kInt8:
    case kInt2:
    case kInt4:
    case kText:
    case kOid:
    case kJson:
    case kFloat4:
    case kFloat8:
    case kBpchar:
    case kVarchar:
    case kDate:
    case kTimestamp:
    case kTimestampTz:
    case kNumeric:
    case kUuid:
    case kJsonb:
    case kTime:
    case kInterval:
      return true;
    default:
      return false;
  }
}

Value ColumnValue(Oid type, int32_t type_modifier, std::string_view text) {
  using namespace pg_type;
  switch (type) {
    case kBool:
      return Value(text == "t");
    case kInt2:
    case kInt4:
    case kInt8:
    case kOid: {
      int64_t v = 0;
      auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec == std::errc() && end == text.data() + text.size()) return Value(v);
      return Value(text);
    }
    case kFloat4:
    case kFloat8:
      return Float(text);
    case kNumeric: {
      auto d = ParseNumeric(text, type_modifier);
      return d ? Value(*d) : Value(text);
    }
    case kDate: {
      auto days = text.size() == 10 ? ParseDate(text) : std::nullopt;
      return days ? Value(Date{static_cast<int32_t>(*days)}) : Value(text);
    }
    case kTimestamp:
    case kTimestampTz:
      return Value(IsoTimestamp(text));
    case kBytea:
      return Bytea(text);
    default:
      return Value(text);  // text, varchar, char, uuid, json, jsonb, time, interval and unmapped types
  }
}

}  // namespace pipeline::postgres_client
