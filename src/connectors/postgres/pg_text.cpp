#include "connectors/postgres/pg_text.h"

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "formats/json.h"

namespace pipeline::postgres {
namespace {

void AppendDate(int64_t days, std::string& out) {
  using namespace std::chrono;
  const year_month_day ymd{sys_days{std::chrono::days{days}}};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  out += buffer;
}

void AppendTimeOfDay(int64_t millis, std::string& out) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%02lld:%02lld:%02lld.%03lld", static_cast<long long>(millis / 3'600'000),
                static_cast<long long>(millis / 60'000 % 60), static_cast<long long>(millis / 1000 % 60),
                static_cast<long long>(millis % 1000));
  out += buffer;
}

void AppendDouble(double d, std::string& out) {
  if (std::isnan(d)) {
    out += "NaN";
  } else if (std::isinf(d)) {
    out += d > 0 ? "Infinity" : "-Infinity";
  } else {
    char buffer[32];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, d);  // shortest text that reads back exactly
    out.append(buffer, end);
  }
}

}  // namespace

bool AppendPgText(const Value& v, std::string& out) {
  switch (v.kind()) {
    case Value::Kind::kNull:
      return false;
    case Value::Kind::kBool:
      out += v.as_bool() ? "t" : "f";
      break;
    case Value::Kind::kInt:
      out += std::to_string(v.as_int());
      break;
    case Value::Kind::kDouble:
      AppendDouble(v.as_double(), out);
      break;
    case Value::Kind::kDecimal:
      out += v.as_decimal().ToString();
      break;
    case Value::Kind::kString:
      out += v.as_string();
      break;
    case Value::Kind::kBytes: {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "\\x";
      for (unsigned char c : v.as_bytes().data) {
        out += kHex[c >> 4];
        out += kHex[c & 15];
      }
      break;
    }
    case Value::Kind::kDate:
      AppendDate(v.as_date().days, out);
      break;
    case Value::Kind::kTime:
      AppendTimeOfDay(v.as_time().millis, out);
      break;
    case Value::Kind::kTimestamp: {
      const int64_t ms = v.as_timestamp().millis;
      const int64_t day = ms >= 0 ? ms / 86'400'000 : (ms - 86'399'999) / 86'400'000;
      AppendDate(day, out);
      out += ' ';
      AppendTimeOfDay(ms - day * 86'400'000, out);
      out += "+00";
      break;
    }
    case Value::Kind::kArray:
    case Value::Kind::kMap:
    case Value::Kind::kStruct:
      AppendJson(v, out);
      break;
  }
  return true;
}

void AppendCopyEscaped(std::string_view text, std::string& out) {
  for (char c : text) {
    switch (c) {
      case '\\': out += "\\\\"; break;
      case '\t': out += "\\t"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      default: out += c;
    }
  }
}

void AppendCopyLine(const std::vector<const Value*>& values, std::string& out) {
  std::string text;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += '\t';
    text.clear();
    if (values[i] && AppendPgText(*values[i], text)) AppendCopyEscaped(text, out);
    else out += "\\N";
  }
  out += '\n';
}

std::string PgColumnType(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kBool: return "boolean";
    case Value::Kind::kInt: return "bigint";
    case Value::Kind::kDouble: return "double precision";
    case Value::Kind::kDecimal: {
      const Decimal& d = v.as_decimal();
      if (d.precision <= 0 || d.precision > 1000) return "numeric";
      return "numeric(" + std::to_string(d.precision) + "," + std::to_string(d.scale) + ")";
    }
    case Value::Kind::kBytes: return "bytea";
    case Value::Kind::kDate: return "date";
    case Value::Kind::kTime: return "time";
    case Value::Kind::kTimestamp: return "timestamptz";
    case Value::Kind::kArray:
    case Value::Kind::kMap:
    case Value::Kind::kStruct: return "jsonb";
    case Value::Kind::kNull:
    case Value::Kind::kString: return "text";
  }
  return "text";
}

}  // namespace pipeline::postgres
