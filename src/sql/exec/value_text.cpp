// Text forms of values as ksqlDB (Java) prints them, and the date/time parsers CAST needs.
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "core/decimal.h"
#include "sql/exec/value_convert.h"

namespace pipeline::sql {

std::string JavaDoubleToString(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  if (v == 0) return std::signbit(v) ? "-0.0" : "0.0";
  char buf[64];
  int prec = 1;
  for (; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*e", prec - 1, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  // buf = d.ddddde[+-]XX; rebuild in Java's style.
  std::string s(buf);
  size_t e = s.find('e');
  std::string mant = s.substr(0, e);
  int exp = std::atoi(s.c_str() + e + 1);
  bool neg = mant[0] == '-';
  if (neg) mant = mant.substr(1);
  std::string digits;
  for (char c : mant)
    if (c != '.') digits += c;
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  std::string out;
  double a = std::fabs(v);
  if (a >= 1e-3 && a < 1e7) {
    if (exp >= 0) {
      std::string ip = digits.substr(0, std::min<size_t>(digits.size(), exp + 1));
      while (static_cast<int>(ip.size()) < exp + 1) ip += '0';
      std::string fp = digits.size() > static_cast<size_t>(exp + 1) ? digits.substr(exp + 1) : "0";
      out = ip + "." + fp;
    } else {
      out = "0." + std::string(-exp - 1, '0') + digits;
    }
  } else {
    out = digits.substr(0, 1) + "." + (digits.size() > 1 ? digits.substr(1) : "0") + "E" + std::to_string(exp);
  }
  return neg ? "-" + out : out;
}

int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

static void CivilFromDays(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

std::string FormatDate(int32_t days) {
  int64_t y;
  unsigned m, d;
  CivilFromDays(days, y, m, d);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return buf;
}

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

std::string FormatTimestamp(int64_t millis) {
  int64_t days = millis >= 0 ? millis / 86400000 : -((-millis + 86399999) / 86400000);
  int64_t rem = millis - days * 86400000;
  char buf[48];
  std::string date = FormatDate(static_cast<int32_t>(days));
  int64_t s = rem / 1000;
  std::snprintf(buf, sizeof buf, "T%02lld:%02lld:%02lld.%03lld", static_cast<long long>(s / 3600),
                static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60),
                static_cast<long long>(rem % 1000));
  return date + buf;
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
