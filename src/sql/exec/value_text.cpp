// The TIME text CAST gives, and the date/time parsers CAST needs (dates and timestamps print with
// core/civil_date.h's IsoDate and IsoTimestamp, doubles with Java's Double.toString from functions/scalar).
#include <cstdio>
#include <cstdlib>

#include "core/civil_date.h"
#include "sql/exec/value_convert.h"

namespace pipeline::sql {

std::string FormatTime(int64_t millis) {
  char buf[32];
  int64_t s = millis / 1000;
  int ms = static_cast<int>(millis % 1000);
  if (ms)
    std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld.%03d", static_cast<long long>(s / 3600),
                  static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60), ms);
  else
    std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", static_cast<long long>(s / 3600),
                  static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
  return buf;
}

static bool ReadInt(const std::string& s, size_t& i, int digits, int& out) {
  out = 0;
  for (int k = 0; k < digits; ++k, ++i) {
    if (i >= s.size() || s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

std::optional<int32_t> ParseDate(const std::string& s) {
  size_t i = 0;
  int y, m, d;
  if (!ReadInt(s, i, 4, y) || i >= s.size() || s[i++] != '-' || !ReadInt(s, i, 2, m) || i >= s.size() ||
      s[i++] != '-' || !ReadInt(s, i, 2, d) || i != s.size())
    return std::nullopt;
  if (m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
  return static_cast<int32_t>(DaysFromCivil(y, m, d));
}

std::optional<int64_t> ParseTime(const std::string& s) {
  size_t i = 0;
  int h, mi, sec = 0, ms = 0;
  if (!ReadInt(s, i, 2, h) || i >= s.size() || s[i++] != ':' || !ReadInt(s, i, 2, mi)) return std::nullopt;
  if (i < s.size() && s[i] == ':') {
    ++i;
    if (!ReadInt(s, i, 2, sec)) return std::nullopt;
    if (i < s.size() && s[i] == '.') {
      ++i;
      int scale = 100;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        ms += (s[i] - '0') * scale;
        scale /= 10;
        ++i;
      }
    }
  }
  if (i != s.size() || h > 23 || mi > 59 || sec > 59) return std::nullopt;
  return (h * 3600LL + mi * 60 + sec) * 1000 + ms;
}

std::optional<int64_t> ParseTimestamp(const std::string& s) {
  if (s.size() < 10) return std::nullopt;
  auto date = ParseDate(s.substr(0, 10));
  if (!date) return std::nullopt;
  int64_t millis = *date * 86400000LL;
  if (s.size() == 10) return millis;
  if (s[10] != 'T' && s[10] != ' ') return std::nullopt;
  std::string rest = s.substr(11);
  int64_t offset_ms = 0;
  if (!rest.empty() && rest.back() == 'Z') rest.pop_back();
  size_t zone = rest.find_first_of("+-");
  if (zone != std::string::npos) {
    std::string z = rest.substr(zone + 1);
    rest = rest.substr(0, zone);
    int zh = std::atoi(z.substr(0, 2).c_str());
    int zm = z.size() >= 5 ? std::atoi(z.substr(z.size() - 2).c_str()) : 0;
    offset_ms = (zh * 60LL + zm) * 60000 * (s[11 + zone] == '-' ? -1 : 1);
  }
  auto t = ParseTime(rest);
  if (!t) return std::nullopt;
  return millis + *t - offset_ms;
}

}  // namespace pipeline::sql
