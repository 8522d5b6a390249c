#include "connectors/elasticsearch/document_json.h"

#include <utility>

#include "core/civil_date.h"
#include "formats/json.h"

namespace pipeline::elasticsearch {

namespace {

void AppendValue(const Value& v, const DocumentFormat& format, std::string& out);

void AppendObjectKey(const Value& key, std::string& out) {
  AppendJsonString(key.is_string() ? key.as_string() : key.ToString(), out);
  out += ':';
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
        out += IsoDate(v.as_date().days);
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

std::string IsoTimestamp(int64_t epoch_millis) { return pipeline::IsoTimestamp(epoch_millis) + "Z"; }

void AppendDocument(const Value& value, const DocumentFormat& format, std::string& out) {
  if (value.is_struct() || value.is_map()) return AppendValue(value, format, out);
  out += "{\"message\":";
  AppendValue(value, format, out);
  out += '}';
}

}  // namespace pipeline::elasticsearch
