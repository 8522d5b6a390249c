#include "core/json_text.h"

#include <charconv>
#include <cmath>
#include <cstdint>

namespace pipeline {

namespace {

// The length of the well-formed UTF-8 sequence that starts at s[i] (a byte of 0x80 or above), or 0 when there is
// none: a stray continuation byte, a sequence cut short, an overlong form, a surrogate, or beyond U+10FFFF.
size_t Utf8SequenceAt(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = byte(i);
  const size_t n = lead >= 0xc2 && lead <= 0xdf   ? 2
                   : lead >= 0xe0 && lead <= 0xef ? 3
                   : lead >= 0xf0 && lead <= 0xf4 ? 4
                                                  : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
  const unsigned char second = byte(i + 1);
  if ((lead == 0xe0 && second < 0xa0) || (lead == 0xed && second > 0x9f) || (lead == 0xf0 && second < 0x90) ||
      (lead == 0xf4 && second > 0x8f))
    return 0;
  return n;
}

}  // namespace

// Strings hold UTF-8, but bytes from outside may not be (a log line in Latin-1, a syslog message, a database
// column in another character set): each byte that starts no well-formed sequence is written as U+FFFD, as Vector
// and Jackson write them, because JSON must be UTF-8 and every JSON reader, pipe's own included, refuses the file
// otherwise (found by fuzzing, issue 19). ASCII costs one comparison more per byte.
void AppendJsonString(std::string_view s, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  size_t run = 0;  // start of the current run of bytes that need no escaping
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') continue;
    if (c >= 0x80) {
      if (const size_t n = Utf8SequenceAt(s, i)) {
        i += n - 1;
        continue;
      }
      out.append(s.data() + run, i - run);
      run = i + 1;
      out += "\xef\xbf\xbd";  // U+FFFD
      continue;
    }
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 15]);
    }
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

std::string_view NonFiniteDoubleText(double d) {
  if (std::isfinite(d)) return {};
  return std::isnan(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
}

namespace {

void AppendDouble(double d, std::string& out) {
  if (std::string_view text = NonFiniteDoubleText(d); !text.empty()) {
    AppendJsonString(text, out);
    return;
  }
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  std::string_view text(buf, static_cast<size_t>(end - buf));
  out += text;
  // Keep doubles recognisable as doubles, as Java/ksqlDB print them (1.0, not 1).
  if (text.find_first_of(".en") == std::string_view::npos) out += ".0";
}

void AppendBase64(std::string_view data, std::string& out) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  out.push_back('"');
  size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    uint32_t n = (uint8_t(data[i]) << 16) | (uint8_t(data[i + 1]) << 8) | uint8_t(data[i + 2]);
    for (int shift : {18, 12, 6, 0}) out.push_back(kAlphabet[(n >> shift) & 63]);
  }
  if (i < data.size()) {
    uint32_t n = uint8_t(data[i]) << 16;
    if (i + 1 < data.size()) n |= uint8_t(data[i + 1]) << 8;
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(i + 1 < data.size() ? kAlphabet[(n >> 6) & 63] : '=');
    out.push_back('=');
  }
  out.push_back('"');
}

}  // namespace

void AppendJson(const Value& v, std::string& out) {
  using K = Value::Kind;
  switch (v.kind()) {
    case K::kNull: out += "null"; return;
    case K::kBool: out += v.as_bool() ? "true" : "false"; return;
    case K::kInt: {
      char buf[24];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v.as_int());
      out.append(buf, end);
      return;
    }
    case K::kDouble: AppendDouble(v.as_double(), out); return;
    case K::kDecimal: out += v.as_decimal().ToString(); return;
    case K::kString: AppendJsonString(v.as_string(), out); return;
    case K::kBytes: AppendBase64(v.as_bytes().data, out); return;
    case K::kDate: out += std::to_string(v.as_date().days); return;
    case K::kTime: out += std::to_string(v.as_time().millis); return;
    case K::kTimestamp: out += std::to_string(v.as_timestamp().millis); return;
    case K::kArray: {
      out.push_back('[');
      bool first = true;
      for (const auto& item : v.as_array()) {
        if (!first) out.push_back(',');
        first = false;
        AppendJson(item, out);
      }
      out.push_back(']');
      return;
    }
    case K::kMap: {
      out.push_back('{');
      bool first = true;
      for (const auto& [key, item] : v.as_map()) {
        if (!first) out.push_back(',');
        first = false;
        if (key.is_string()) AppendJsonString(key.as_string(), out);
        else AppendJsonString(key.ToString(), out);
        out.push_back(':');
        AppendJson(item, out);
      }
      out.push_back('}');
      return;
    }
    case K::kStruct: {
      const Struct& s = v.as_struct();
      out.push_back('{');
      for (size_t i = 0; i < s.size(); ++i) {
        if (i) out.push_back(',');
        AppendJsonString(s.name(i), out);
        out.push_back(':');
        AppendJson(s.values[i], out);
      }
      out.push_back('}');
      return;
    }
  }
}

std::string ToJson(const Value& v) {
  std::string out;
  AppendJson(v, out);
  return out;
}

}  // namespace pipeline
