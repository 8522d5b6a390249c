#include "connectors/elasticsearch/document_json.h"

#include <chrono>
#include <cstdio>

#include "formats/json.h"

namespace pipeline::elasticsearch {

namespace {

void AppendValue(const Value& v, const DocumentFormat& format, std::string& out);

void AppendObjectKey(const Value& key, std::string& out) {
  AppendJsonString(key.is_string() ? key.as_string() : key.ToString(), out);
  out += ':';
}

void AppendDate(int32_t days, std::string& out) {
  std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{days}}};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  out += text;
}

void AppendValue(const Value& v, const DocumentFormat& format, std::string& out) {
  switch (v.kind()) {
    case Value::Kind::kTimestamp:
      if (!format.timestamps_as_iso8601) break;
      out += '"';
      out += IsoTimestamp(v.as_timestamp().millis);
      out += '"';
      return;
    case Value::Kind::kDate:
      if (format.timestamps_as_iso8601) {
        out += '"';
        AppendDate(v.as_date().days, out);
        out += '"';
      } else {
        out += std::to_string(int64_t{v.as_date().days} * 86'400'000);
      }
      return;
    case Value::Kind::kDecimal:
      if (!format.decimals_as_strings) break;
      AppendJsonString(v.as_decimal().ToString(), out);
      return;
    case Value::Kind::kArray: {
      out += '[';
      bool first = true;
      for (const Value& item : v.as_array()) {
        if (!std::exchange(first, false)) out += ',';
        AppendValue(item, format, out);
      }
      out += ']';
      return;
    }
    case Value::Kind::kMap: {
      out += '{';
      bool first = true;
      for (const auto& [key, item] : v.as_map()) {
        if (!std::exchange(first, false)) out += ',';
        AppendObjectKey(key, out);
        AppendValue(item, format, out);
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
        AppendValue(s.values[i], format, out);
      }
      out += '}';
      return;
    }
    default:
      break;
  }
  AppendJson(v, out);  // the rest as the json format writes it (epoch ms, numbers, base64 bytes)
}

}  // namespace

std::string IsoTimestamp(int64_t epoch_millis) {
  using namespace std::chrono;
  const sys_time<milliseconds> t{milliseconds{epoch_millis}};
  const sys_days day = floor<days>(t);
  const year_month_day ymd{day};
  const hh_mm_ss hms{t - day};
  char text[40];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()), static_cast<int>(hms.subseconds().count()));
  return text;
}

void AppendDocument(const Value& value, const DocumentFormat& format, std::string& out) {
  if (value.is_struct() || value.is_map()) return AppendValue(value, format, out);
  out += "{\"message\":";
  AppendValue(value, format, out);
  out += '}';
}

}  // namespace pipeline::elasticsearch
