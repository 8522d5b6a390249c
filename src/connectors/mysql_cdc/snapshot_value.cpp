#include "connectors/mysql_cdc/snapshot_value.h"

#include <charconv>
#include <chrono>
#include <cstdlib>
#include <limits>

#include "connectors/mysql_cdc/binlog_bytes.h"
#include "connectors/mysql_cdc/table_map.h"

namespace pipeline::mysql_cdc {
namespace {

Value Integer(const QueryColumn& column, const std::string& text) {
  if (column.is_unsigned) {
    uint64_t v = 0;
    std::from_chars(text.data(), text.data() + text.size(), v);
    if (v <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) return Value(static_cast<int64_t>(v));
    return Value(Decimal{static_cast<__int128>(v), 20, 0});
  }
  int64_t v = 0;
  std::from_chars(text.data(), text.data() + text.size(), v);
  return Value(v);
}

// "-123.4500" -> Decimal up to 38 digits, else the text itself (as the binlog decoder does).
Value DecimalValue(const std::string& text) {
  __int128 unscaled = 0;
  int digits = 0, scale = 0;
  bool fraction = false;
  for (char c : text) {
    if (c == '.') {
      fraction = true;
    } else if (c >= '0' && c <= '9') {
      if (++digits > 38) return Value(text);
      unscaled = unscaled * 10 + (c - '0');
      scale += fraction;
    }
  }
  return Value(Decimal{text[0] == '-' ? -unscaled : unscaled, std::max(digits, 1), scale});
}

// "YYYY-MM-DD[ HH:MM:SS[.ffffff]]": the date's days, or nullopt for a zero or invalid date.
std::optional<int32_t> Days(const std::string& text) {
  int y = 0;
  unsigned m = 0, d = 0;
  if (text.size() < 10 || std::sscanf(text.c_str(), "%d-%u-%u", &y, &m, &d) != 3) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(m), std::chrono::day(d)};
  if (!ymd.ok()) return std::nullopt;
  return std::chrono::sys_days(ymd).time_since_epoch().count();
}

// The fraction after the last '.', padded to microseconds: "12:00:01.5" -> "12:00:01.500000".
std::string SixDigits(const std::string& text) {
  const size_t dot = text.find('.');
  std::string whole = text.substr(0, dot), fraction = dot == std::string::npos ? "" : text.substr(dot + 1);
  fraction.resize(6, '0');
  return whole + "." + fraction;
}

}  // namespace

Value SnapshotValue(const QueryColumn& column, const std::string& text, bool& zero_date) {
  switch (column.type) {
    case kTiny:
    case kShort:
    case kInt24:
    case kLong:
    case kLongLong:
    case kYear:
      return Integer(column, text);
    case kNewDecimal:
    case kDecimalOld:
      return DecimalValue(text);
    case kFloat:
    case kDouble:
      return Value(std::strtod(text.c_str(), nullptr));
    case kBit: {
      const uint64_t v = BigEndian(text, 0, std::min<size_t>(text.size(), 8));
      if (column.length == 1) return Value(v != 0);
      return v <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())
                 ? Value(static_cast<int64_t>(v))
                 : Value(Decimal{static_cast<__int128>(v), 20, 0});
    }
    case kDate:
    case kNewDate: {
      auto days = Days(text);
      zero_date |= !days;
      return days ? Value(Date{*days}) : Value();
    }
    case kDateTime:
    case kTimestamp:
    case kDateTime2:
    case kTimestamp2: {
      if (!Days(text) || text.size() < 19) {
        zero_date = true;
        return Value();
      }
      std::string iso = SixDigits(text);
      iso[10] = 'T';
      const bool utc = column.type == kTimestamp || column.type == kTimestamp2;
      return Value(utc ? iso + "Z" : iso);
    }
    case kTime:
    case kTime2:
      return Value(SixDigits(text));
    default:
      if (column.is_binary) return Value(Bytes{text});
      return Value(text);
  }
}

}  // namespace pipeline::mysql_cdc
