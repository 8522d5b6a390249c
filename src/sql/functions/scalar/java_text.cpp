#include "sql/functions/scalar/java_text.h"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "core/civil_date.h"
#include "formats/json.h"
#include "sql/functions/scalar/text_encoding.h"

namespace pipeline::sql::scalar {

std::string JavaDoubleString(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
  if (d == 0) return std::signbit(d) ? "-0.0" : "0.0";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string sci(buf, end);  // "-1.2345e+06"
  size_t e = sci.find('e');
  std::string mantissa = sci.substr(0, e);
  int exponent = std::stoi(sci.substr(e + 1));
  bool negative = mantissa[0] == '-';
  if (negative) mantissa.erase(0, 1);
  std::string digits;
  for (char c : mantissa)
    if (c != '.') digits += c;
  std::string out = negative ? "-" : "";
  double magnitude = std::fabs(d);
  if (magnitude >= 1e-3 && magnitude < 1e7) {
    if (exponent >= 0) {
      std::string int_part = digits.substr(0, std::min(digits.size(), static_cast<size_t>(exponent) + 1));
      while (int_part.size() < static_cast<size_t>(exponent) + 1) int_part += '0';
      std::string frac = digits.size() > static_cast<size_t>(exponent) + 1 ? digits.substr(static_cast<size_t>(exponent) + 1) : "0";
      out += int_part + "." + frac;
    } else {
      out += "0." + std::string(static_cast<size_t>(-exponent - 1), '0') + digits;
    }
    return out;
  }
  out += digits.substr(0, 1) + "." + (digits.size() > 1 ? digits.substr(1) : "0") + "E" + std::to_string(exponent);
  return out;
}

std::string IsoTime(int64_t millis_of_day) {
  char buf[32];
  int64_t s = millis_of_day / 1000, ms = millis_of_day % 1000;
  if (ms) std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld.%03lld", static_cast<long long>(s / 3600),
                        static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60), static_cast<long long>(ms));
  else if (s % 60 == 0) std::snprintf(buf, sizeof buf, "%02lld:%02lld", static_cast<long long>(s / 3600),  // LocalTime
                                     static_cast<long long>(s / 60 % 60));
  else std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", static_cast<long long>(s / 3600),
                     static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
  return buf;
}

std::string JavaValueString(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kNull: return "null";
    case Value::Kind::kDouble: return JavaDoubleString(v.as_double());
    case Value::Kind::kString: return v.as_string();
    case Value::Kind::kDate: return IsoDate(v.as_date().days);
    case Value::Kind::kTime: return IsoTime(v.as_time().millis);
    case Value::Kind::kTimestamp: return IsoTimestamp(v.as_timestamp().millis);
    case Value::Kind::kBytes: return Base64Encode(v.as_bytes().data);
    default: return v.ToString();
  }
}

void AppendUdfJson(const Value& v, std::string& out) {
  switch (v.kind()) {
    case Value::Kind::kDouble:
      if (std::isfinite(v.as_double())) out += JavaDoubleString(v.as_double());
      else AppendJsonString(JavaDoubleString(v.as_double()), out);  // Jackson quotes NaN and Infinity
      return;
    case Value::Kind::kDate:
    case Value::Kind::kTime:
    case Value::Kind::kTimestamp:
    case Value::Kind::kBytes: AppendJsonString(JavaValueString(v), out); return;
    case Value::Kind::kArray: {
      out += '[';
      bool first = true;
      for (const Value& item : v.as_array()) {
        if (!first) out += ',';
        first = false;
        AppendUdfJson(item, out);
      }
      out += ']';
      return;
    }
    case Value::Kind::kMap: {
      out += '{';
      bool first = true;
      for (const auto& [key, item] : v.as_map()) {
        if (!first) out += ',';
        first = false;
        AppendJsonString(key.is_string() ? key.as_string() : JavaValueString(key), out);
        out += ':';
        AppendUdfJson(item, out);
      }
      out += '}';
      return;
    }
    case Value::Kind::kStruct: {
      const Struct& s = v.as_struct();
      out += '{';
      for (size_t i = 0; i < s.size(); ++i) {
        if (i) out += ',';
        AppendJsonString(s.name(i), out);
        out += ':';
        AppendUdfJson(s.values[i], out);
      }
      out += '}';
      return;
    }
    default: AppendJson(v, out); return;
  }
}

std::string UdfJson(const Value& v) {
  std::string out;
  AppendUdfJson(v, out);
  return out;
}

}  // namespace pipeline::sql::scalar
