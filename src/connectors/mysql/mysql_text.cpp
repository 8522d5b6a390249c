#include "connectors/mysql/mysql_text.h"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "core/civil_date.h"
#include "core/json_text.h"

namespace pipeline::mysql {
namespace {

void AppendTimeOfDay(int64_t millis, std::string& out) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%02lld:%02lld:%02lld.%03lld", static_cast<long long>(millis / 3'600'000),
                static_cast<long long>(millis / 60'000 % 60), static_cast<long long>(millis / 1000 % 60),
                static_cast<long long>(millis % 1000));
  out += buffer;
}

}  // namespace

void AppendLiteral(const Value& v, const MysqlSession& session, std::string& out) {
  switch (v.kind()) {
    case Value::Kind::kNull:
      out += "NULL";
      return;
    case Value::Kind::kBool:
      out += v.as_bool() ? "TRUE" : "FALSE";
      return;
    case Value::Kind::kInt:
      out += std::to_string(v.as_int());
      return;
    case Value::Kind::kDouble: {
      const double d = v.as_double();
      if (std::isnan(d)) {
        out += "'NaN'";
      } else if (std::isinf(d)) {
        out += d > 0 ? "'Infinity'" : "'-Infinity'";
      } else {
        char buffer[32];
        auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, d);  // shortest text that reads back exactly
        out.append(buffer, end);
      }
      return;
    }
    case Value::Kind::kDecimal:
      out += '\'' + v.as_decimal().ToString() + '\'';
      return;
    case Value::Kind::kString:
      session.AppendQuoted(v.as_string(), out);
      return;
    case Value::Kind::kBytes: {
      static constexpr char kHex[] = "0123456789abcdef";
      out += "X'";
      for (unsigned char c : v.as_bytes().data) {
        out += kHex[c >> 4];
        out += kHex[c & 15];
      }
      out += '\'';
      return;
    }
    case Value::Kind::kDate:
      out += '\'' + IsoDate(v.as_date().days) + '\'';
      return;
    case Value::Kind::kTime:
      out += '\'';
      AppendTimeOfDay(v.as_time().millis, out);
      out += '\'';
      return;
    case Value::Kind::kTimestamp: {
      std::string text = IsoTimestamp(v.as_timestamp().millis);
      if (const size_t t = text.find('T'); t != std::string::npos) text[t] = ' ';
      out += '\'' + text + '\'';
      return;
    }
    case Value::Kind::kArray:
    case Value::Kind::kMap:
    case Value::Kind::kStruct: {
      std::string json;
      AppendJson(v, json);
      session.AppendQuoted(json, out);
      return;
    }
  }
}

std::string QuotedIdentifier(const std::string& name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out += '`';
    out += c;
  }
  return out + "`";
}

std::string MysqlColumnType(const Value& v, bool key) {
  switch (v.kind()) {
    case Value::Kind::kBool:
      return "BOOLEAN";
    case Value::Kind::kInt:
      return "BIGINT";
    case Value::Kind::kDouble:
      return "DOUBLE";
    case Value::Kind::kDecimal: {
      const Decimal& d = v.as_decimal();
      // MySQL's DECIMAL holds 65 digits, 30 after the point; a wider one keeps its digits as text.
      if (d.precision <= 0 || d.precision > 65 || d.scale < 0 || d.scale > 30) return key ? "VARCHAR(255)" : "LONGTEXT";
      return "DECIMAL(" + std::to_string(d.precision) + "," + std::to_string(d.scale) + ")";
    }
    case Value::Kind::kBytes:
      return key ? "VARBINARY(255)" : "LONGBLOB";
    case Value::Kind::kDate:
      return "DATE";
    case Value::Kind::kTime:
      return "TIME(3)";
    case Value::Kind::kTimestamp:
      return "DATETIME(3)";
    case Value::Kind::kArray:
    case Value::Kind::kMap:
    case Value::Kind::kStruct:
      return key ? "VARCHAR(255)" : "JSON";
    case Value::Kind::kNull:
    case Value::Kind::kString:
      return key ? "VARCHAR(255)" : "LONGTEXT";
  }
  return "LONGTEXT";
}

}  // namespace pipeline::mysql
