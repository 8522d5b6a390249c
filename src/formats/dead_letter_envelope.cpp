#include "formats/dead_letter_envelope.h"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "core/base64.h"
#include "formats/json.h"

namespace pipeline {

namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// RFC 3339 in UTC with milliseconds: what log shippers and `jq` users expect of a "time" field.
std::string Rfc3339(int64_t ms) {
  std::time_t seconds = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[80];  // room for any int the compiler cannot rule out
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
  return text;
}

void AppendHeaders(const std::vector<Header>& headers, std::string& out) {
  out += '[';
  for (size_t i = 0; i < headers.size(); ++i) {
    const Header& h = headers[i];
    if (i) out += ',';
    out += "{\"key\":";
    AppendJsonString(h.key, out);
    if (!h.value) {
      out += ",\"value\":null}";
    } else if (IsValidUtf8(*h.value)) {
      out += ",\"value\":";
      AppendJsonString(*h.value, out);
      out += '}';
    } else {
      out += ",\"value_base64\":\"" + EncodeBase64(*h.value) + "\"}";
    }
  }
  out += ']';
}

// Whether every text inside the value (strings, struct field names, map keys) is UTF-8. Asked of the value, not
// of its JSON: the JSON writer replaces bytes that are not UTF-8 with U+FFFD, and a dead letter must keep them.
bool TextIsUtf8(const Value& value) {
  if (value.is_string()) return IsValidUtf8(value.as_string());
  if (value.is_array()) {
    for (const Value& item : value.as_array())
      if (!TextIsUtf8(item)) return false;
  } else if (value.is_map()) {
    for (const auto& [key, item] : value.as_map())
      if (!TextIsUtf8(key) || !TextIsUtf8(item)) return false;
  } else if (value.is_struct()) {
    const Struct& fields = value.as_struct();
    for (size_t i = 0; i < fields.size(); ++i)
      if (!IsValidUtf8(fields.name(i)) || !TextIsUtf8(fields.values[i])) return false;
  }
  return true;
}

// "value": its JSON, or "raw_base64" for bytes never decoded or a value whose text is not UTF-8 (a string value
// keeps its own bytes then, anything else its JSON text).
void AppendValue(const std::optional<std::string_view>& undecoded, const Record& r, std::string& out) {
  if (undecoded) {
    out += ",\"raw_base64\":\"" + EncodeBase64(*undecoded) + "\"";
    return;
  }
  const Value& value = r.value;
  std::string json;
  AppendJson(value, json);
  if (TextIsUtf8(value)) {
    out += ",\"value\":" + json;
    return;
  }
  out += ",\"raw_base64\":\"" + EncodeBase64(value.is_string() ? std::string_view(value.as_string()) : json) + "\"";
}

void AppendWindow(const std::optional<WindowBounds>& window, std::string& out) {
  if (!window) {
    out += "null";
    return;
  }
  out += "{\"start\":" + std::to_string(window->start) + ",\"end\":" + std::to_string(window->end);
  out += window->session ? ",\"session\":true}" : "}";
}

void AppendRecordObject(const Record& r, const std::optional<std::string_view>& undecoded, std::string& out) {
  out += "{\"key\":";
  std::string key;
  AppendJson(r.key, key);  // bytes of a key that are not UTF-8 show as U+FFFD
  out += key;
  AppendValue(undecoded, r, out);
  out += ",\"headers\":";
  AppendHeaders(r.headers, out);
  out += ",\"topic\":";
  AppendJsonString(r.topic, out);
  out += ",\"partition\":" + std::to_string(r.partition) + ",\"position\":";
  AppendJsonString(r.position.ToString(), out);
  out += ",\"timestamp\":" + std::to_string(r.timestamp) + ",\"window\":";
  AppendWindow(r.window, out);
  out += '}';
}

Status Missing(std::string_view field) {
  return DataError("not a dead-letter envelope: record." + std::string(field) + " is missing or has the wrong type");
}

Status ReadHeaders(const Value* headers, Record& record) {
  if (!headers || headers->is_null()) return {};
  if (!headers->is_array()) return Missing("headers");
  for (const Value& h : headers->as_array()) {
    const Value* key = h.Field("key");
    if (!key || !key->is_string()) return Missing("headers[].key");
    Header header{key->as_string(), std::nullopt};
    if (const Value* v = h.Field("value"); v && v->is_string()) {
      header.value = v->as_string();
    } else if (const Value* b = h.Field("value_base64"); b && b->is_string()) {
      header.value = DecodeBase64(b->as_string());
      if (!header.value) return Missing("headers[].value_base64");
    }
    record.headers.push_back(std::move(header));
  }
  return {};
}

Status ReadWindow(const Value* window, Record& record) {
  if (!window || window->is_null()) return {};
  const Value* start = window->Field("start");
  const Value* end = window->Field("end");
  if (!start || !start->is_int() || !end || !end->is_int()) return Missing("window");
  const Value* session = window->Field("session");
  record.window = WindowBounds{start->as_int(), end->as_int(), session && session->is_bool() && session->as_bool()};
  return {};
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n;
    if (c < 0x80) n = 0;
    else if ((c >> 5) == 0x6) n = 1;
    else if ((c >> 4) == 0xe) n = 2;
    else if ((c >> 3) == 0x1e) n = 3;
    else return false;
    for (size_t k = 1; k <= n; ++k)
      if (i + k >= s.size() || (static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80) return false;
    i += n + 1;
  }
  return true;
}

std::string_view FailedStageName(FailedStage stage) {
  switch (stage) {
    case FailedStage::kDecode: return "decode";
    case FailedStage::kTransform: return "transform";
    case FailedStage::kSql: return "sql";
    case FailedStage::kSink: return "sink";
  }
  return "transform";
}

std::string_view ErrorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kConfig: return "config";
    case ErrorKind::kData: return "data";
    case ErrorKind::kRetryable: return "retryable";
    case ErrorKind::kFatal: return "fatal";
  }
  return "fatal";
}

void AppendDeadLetterEnvelope(const DeadLetter& letter, std::string& out) {
  out += "{\"time\":\"" + Rfc3339(letter.time_ms ? letter.time_ms : NowMs()) + "\",\"stage\":\"";
  out += FailedStageName(letter.stage);
  out += "\",\"component\":";
  AppendJsonString(letter.component, out);
  out += ",\"error\":{\"kind\":\"";
  out += ErrorKindName(letter.error.kind());
  out += "\",\"message\":";
  AppendJsonString(letter.error.message(), out);
  out += "},\"record\":";
  static const Record kNoRecord;
  AppendRecordObject(letter.record ? *letter.record : kNoRecord, letter.undecoded, out);
  out += '}';
}

void AppendRecordEnvelope(const Record& record, std::string& out) { AppendRecordObject(record, std::nullopt, out); }

Status RecordFromDeadLetterEnvelope(const Value& envelope, Record& record) {
  const Value* r = envelope.Field("record");
  if (!r || !r->is_struct()) return DataError("not a dead-letter envelope: no \"record\" object");
  if (const Value* key = r->Field("key")) record.key = *key;
  if (const Value* value = r->Field("value")) {
    record.value = *value;
  } else if (const Value* raw = r->Field("raw_base64"); raw && raw->is_string()) {
    auto bytes = DecodeBase64(raw->as_string());
    if (!bytes) return Missing("raw_base64");
    record.value = Value(std::move(*bytes));
  } else {
    return Missing("value");
  }
  PIPE_RETURN_IF_ERROR(ReadHeaders(r->Field("headers"), record));
  PIPE_RETURN_IF_ERROR(ReadWindow(r->Field("window"), record));
  if (const Value* topic = r->Field("topic"); topic && topic->is_string()) record.topic = topic->as_string();
  if (const Value* partition = r->Field("partition"); partition && partition->is_int())
    record.partition = static_cast<int32_t>(partition->as_int());
  if (const Value* timestamp = r->Field("timestamp"); timestamp && timestamp->is_int())
    record.timestamp = timestamp->as_int();
  return {};
}

}  // namespace pipeline
