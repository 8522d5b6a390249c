#include <chrono>
#include <cstdio>
#include <optional>

#include "connectors/mysql_cdc/binlog_bytes.h"
#include "connectors/mysql_cdc/column_decoder.h"

namespace pipeline::mysql_cdc {
namespace {

// Bytes of the fractional seconds of TIME2, DATETIME2 and TIMESTAMP2 with `fsp` digits.
size_t FractionBytes(unsigned fsp) { return (fsp + 1) / 2; }

// Microseconds from the big-endian fraction bytes.
int64_t Micros(std::string_view data, size_t at, unsigned fsp) {
  const size_t width = FractionBytes(fsp);
  const int64_t scale = width == 1 ? 10'000 : width == 2 ? 100 : 1;
  return width == 0 ? 0 : static_cast<int64_t>(BigEndian(data, at, width)) * scale;
}

std::optional<int32_t> Days(int64_t year, unsigned month, unsigned day) {
  using namespace std::chrono;
  const year_month_day ymd{std::chrono::year(static_cast<int>(year)), std::chrono::month(month), std::chrono::day(day)};
  if (!ymd.ok()) return std::nullopt;
  return sys_days(ymd).time_since_epoch().count();
}

// `digits` decimal digits of v, zero-padded, at out.
char* Padded(char* out, uint64_t v, int digits) {
  for (int i = digits - 1; i >= 0; --i, v /= 10) out[i] = static_cast<char>('0' + v % 10);
  return out + digits;
}

// YYYY-MM-DDTHH:MM:SS.ffffff[Z]. Written by hand when every field has its usual width: snprintf was a tenth of
// the source's time for a table with a timestamp (bench/mariadb).
std::string Iso(int64_t year, unsigned month, unsigned day, unsigned h, unsigned m, unsigned s, int64_t micros,
                bool utc) {
  char buffer[64];
  if (year >= 0 && year <= 9999 && month <= 99 && day <= 99 && h <= 99 && m <= 99 && s <= 99 && micros >= 0 &&
      micros <= 999'999) {
    char* at = Padded(buffer, static_cast<uint64_t>(year), 4);
    *at++ = '-';
    at = Padded(at, month, 2);
    *at++ = '-';
    at = Padded(at, day, 2);
    *at++ = 'T';
    at = Padded(at, h, 2);
    *at++ = ':';
    at = Padded(at, m, 2);
    *at++ = ':';
    at = Padded(at, s, 2);
    *at++ = '.';
    at = Padded(at, static_cast<uint64_t>(micros), 6);
    if (utc) *at++ = 'Z';
    return std::string(buffer, at);
  }
  std::snprintf(buffer, sizeof buffer, "%04lld-%02u-%02uT%02u:%02u:%02u.%06lld%s", static_cast<long long>(year), month,
                day, h, m, s, static_cast<long long>(micros), utc ? "Z" : "");
  return buffer;
}

}  // namespace

// Dates and times, in their binlog forms (the MySQL 5.6 forms TIME2, DATETIME2, TIMESTAMP2 and the older ones).
bool DecodeTemporal(const TableColumn& column, std::string_view data, size_t& at, Value& out, bool& zero_date) {
  const unsigned fsp = column.meta;
  // Fractional seconds have 0 to 6 digits: a larger precision read more than 8 bytes as one integer (shifted past
  // 64 bits, found by fuzzing). The types without a fraction keep 0 here.
  if (fsp > 6 && (column.type == kTimestamp2 || column.type == kDateTime2 || column.type == kTime2)) return false;
  auto need = [&](size_t width) { return at + width <= data.size(); };
  switch (column.type) {
    case kYear: {
      if (!need(1)) return false;
      const auto v = static_cast<uint8_t>(data[at++]);
      out = Value(int64_t{v == 0 ? 0 : 1900 + v});
      return true;
    }
    case kDate:
    case kNewDate: {
      if (!need(3)) return false;
      const uint64_t v = LittleEndian(data, at, 3);
      at += 3;
      auto days = Days(static_cast<int64_t>(v >> 9), (v >> 5) & 15, v & 31);
      zero_date |= !days;
      out = days ? Value(Date{*days}) : Value();
      return true;
    }
    case kTimestamp2: {
      if (!need(4 + FractionBytes(fsp))) return false;
      const auto seconds = static_cast<int64_t>(BigEndian(data, at, 4));
      const int64_t micros = Micros(data, at + 4, fsp);
      at += 4 + FractionBytes(fsp);
      if (seconds == 0 && micros == 0) {
        zero_date = true;
        out = Value();
        return true;
      }
      const std::chrono::sys_seconds t{std::chrono::seconds(seconds)};
      const auto day = std::chrono::floor<std::chrono::days>(t);
      const std::chrono::year_month_day ymd{day};
      const std::chrono::hh_mm_ss hms{t - day};
      out =
          Value(Iso(static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                    static_cast<unsigned>(hms.hours().count()), static_cast<unsigned>(hms.minutes().count()),
                    static_cast<unsigned>(hms.seconds().count()), micros, true));
      return true;
    }
    case kDateTime2: {
      if (!need(5 + FractionBytes(fsp))) return false;
      const int64_t packed = static_cast<int64_t>(BigEndian(data, at, 5)) - 0x8000000000LL;
      const int64_t micros = Micros(data, at + 5, fsp);
      at += 5 + FractionBytes(fsp);
      const int64_t ymd = packed >> 17, ym = ymd >> 5, hms = packed % (1 << 17);
      const int64_t year = ym / 13;
      const auto month = static_cast<unsigned>(ym % 13), day = static_cast<unsigned>(ymd % 32);
      if (!Days(year, month, day)) {
        zero_date = true;
        out = Value();
        return true;
      }
      out = Value(Iso(year, month, day, static_cast<unsigned>(hms >> 12), static_cast<unsigned>((hms >> 6) % 64),
                      static_cast<unsigned>(hms % 64), micros, false));
      return true;
    }
    case kTime2: {
      if (!need(3 + FractionBytes(fsp))) return false;
      // The integer part (hours, minutes, seconds) and the fraction as one signed fixed-point number.
      int64_t seconds_part = static_cast<int64_t>(BigEndian(data, at, 3)) - 0x800000;
      int64_t fraction = 0;
      const size_t width = FractionBytes(fsp);
      if (width > 0) {
        const int64_t raw = static_cast<int64_t>(BigEndian(data, at + 3, width));
        const int64_t range = int64_t{1} << (8 * width);
        fraction = seconds_part < 0 && raw != 0 ? raw - range : raw;
        if (seconds_part < 0 && raw != 0) seconds_part += 1;
        fraction *= width == 1 ? 10'000 : width == 2 ? 100 : 1;
      }
      at += 3 + width;
      const bool negative = seconds_part < 0 || fraction < 0;
      const int64_t hms = seconds_part < 0 ? -seconds_part : seconds_part;
      const int64_t micros = fraction < 0 ? -fraction : fraction;
      char buffer[48];
      std::snprintf(buffer, sizeof buffer, "%s%02lld:%02lld:%02lld.%06lld", negative ? "-" : "",
                    static_cast<long long>((hms >> 12) % 1024), static_cast<long long>((hms >> 6) % 64),
                    static_cast<long long>(hms % 64), static_cast<long long>(micros));
      out = Value(buffer);
      return true;
    }
    case kTimestamp: {
      if (!need(4)) return false;
      const auto seconds = static_cast<int64_t>(LittleEndian(data, at, 4));
      at += 4;
      TableColumn as2 = column;
      as2.meta = 0;
      std::string bytes(4, '\0');
      for (int i = 0; i < 4; ++i) bytes[i] = static_cast<char>(seconds >> (8 * (3 - i)));
      size_t zero = 0;
      as2.type = kTimestamp2;
      return DecodeTemporal(as2, bytes, zero, out, zero_date);
    }
    case kDateTime: {
      if (!need(8)) return false;
      const uint64_t v = LittleEndian(data, at, 8);  // YYYYMMDDhhmmss as a number
      at += 8;
      const uint64_t date = v / 1'000'000, time = v % 1'000'000;
      const auto month = static_cast<unsigned>(date / 100 % 100), day = static_cast<unsigned>(date % 100);
      if (!Days(static_cast<int64_t>(date / 10000), month, day)) {
        zero_date = true;
        out = Value();
        return true;
      }
      out = Value(Iso(static_cast<int64_t>(date / 10000), month, day, static_cast<unsigned>(time / 10000),
                      static_cast<unsigned>(time / 100 % 100), static_cast<unsigned>(time % 100), 0, false));
      return true;
    }
    case kTime: {
      if (!need(3)) return false;
      const int64_t v = SignExtend(LittleEndian(data, at, 3), 3);  // [-]HHMMSS as a number
      at += 3;
      const int64_t a = v < 0 ? -v : v;
      char buffer[48];
      std::snprintf(buffer, sizeof buffer, "%s%02lld:%02lld:%02lld.000000", v < 0 ? "-" : "",
                    static_cast<long long>(a / 10000), static_cast<long long>(a / 100 % 100),
                    static_cast<long long>(a % 100));
      out = Value(buffer);
      return true;
    }
    default:
      return false;
  }
}

}  // namespace pipeline::mysql_cdc
