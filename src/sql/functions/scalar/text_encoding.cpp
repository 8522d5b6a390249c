#include "sql/functions/scalar/text_encoding.h"

#include <strings.h>

#include <cstring>

#include "sql/functions/scalar/utf8.h"

namespace pipeline::sql::scalar {

namespace {

constexpr char kBase64Chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string> HexDecode(std::string_view hex) {
  std::string out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = HexDigit(hex[i]), lo = HexDigit(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

// ksqlDB accepts plain hex (even length), "0x" + hex (odd length gets a leading zero) and X'hex' / x'hex'.
std::optional<std::string> DecodeHexLiteral(std::string_view text) {
  if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    std::string digits(text.substr(2));
    if (digits.size() % 2) digits.insert(digits.begin(), '0');
    return HexDecode(digits);
  }
  if (text.size() >= 2 && (text[0] == 'x' || text[0] == 'X') && text[1] == '\'') {
    if (text.size() < 3 || text.back() != '\'') return std::nullopt;
    std::string_view digits = text.substr(2, text.size() - 3);
    if (digits.size() % 2) return std::nullopt;
    return HexDecode(digits);
  }
  if (text.size() % 2) return std::nullopt;
  return HexDecode(text);
}

// Java's new String(bytes, UTF_8): malformed sequences become U+FFFD.
std::string Utf8Sanitize(std::string_view bytes) {
  if (IsAscii(bytes)) return std::string(bytes);
  std::string out;
  size_t i = 0;
  while (i < bytes.size()) {
    auto c = static_cast<unsigned char>(bytes[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    bool ok = len > 0 && i + static_cast<size_t>(len) <= bytes.size();
    for (int k = 1; ok && k < len; ++k) ok = IsContinuationByte(static_cast<unsigned char>(bytes[i + static_cast<size_t>(k)]));
    if (ok) {
      out.append(bytes.substr(i, static_cast<size_t>(len)));
      i += static_cast<size_t>(len);
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

}  // namespace

std::optional<TextEncoding> ParseTextEncoding(std::string_view name) {
  auto is = [&](const char* n) { return name.size() == strlen(n) && strncasecmp(name.data(), n, name.size()) == 0; };
  if (is("hex")) return TextEncoding::kHex;
  if (is("utf8")) return TextEncoding::kUtf8;
  if (is("ascii")) return TextEncoding::kAscii;
  if (is("base64")) return TextEncoding::kBase64;
  return std::nullopt;
}

std::string HexEncode(std::string_view bytes, bool upper) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

std::string Base64Encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    uint32_t n = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8) |
                 static_cast<unsigned char>(bytes[i + 2]);
    out += kBase64Chars[n >> 18];
    out += kBase64Chars[(n >> 12) & 63];
    out += kBase64Chars[(n >> 6) & 63];
    out += kBase64Chars[n & 63];
  }
  if (i + 1 == bytes.size()) {
    uint32_t n = static_cast<unsigned char>(bytes[i]) << 16;
    out += kBase64Chars[n >> 18];
    out += kBase64Chars[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == bytes.size()) {
    uint32_t n = (static_cast<unsigned char>(bytes[i]) << 16) | (static_cast<unsigned char>(bytes[i + 1]) << 8);
    out += kBase64Chars[n >> 18];
    out += kBase64Chars[(n >> 12) & 63];
    out += kBase64Chars[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
  std::string out;
  uint32_t buffer = 0;
  int bits = 0;
  size_t padding = 0;
  for (char c : text) {
    int v;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= 'a' && c <= 'z') v = c - 'a' + 26;
    else if (c >= '0' && c <= '9') v = c - '0' + 52;
    else if (c == '+' || c == '-') v = 62;
    else if (c == '/' || c == '_') v = 63;
    else if (c == '=') { ++padding; continue; }
    else return std::nullopt;
    if (padding) return std::nullopt;  // data after '='
    buffer = (buffer << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  if (padding > 2) return std::nullopt;
  return out;
}

std::optional<std::string> DecodeText(std::string_view text, TextEncoding encoding) {
  switch (encoding) {
    case TextEncoding::kHex: return DecodeHexLiteral(text);
    case TextEncoding::kUtf8: return std::string(text);
    case TextEncoding::kBase64: return Base64Decode(text);
    case TextEncoding::kAscii: {
      if (IsAscii(text)) return std::string(text);
      std::string out;
      size_t i = 0;
      while (i < text.size()) {
        char32_t cp = NextCodePoint(text, i);
        out += cp < 0x80 ? static_cast<char>(cp) : '?';
        if (cp >= 0x10000) out += '?';  // a Java surrogate pair is two chars
      }
      return out;
    }
  }
  return std::nullopt;
}

std::string EncodeBytes(std::string_view bytes, TextEncoding encoding, bool upper_hex) {
  switch (encoding) {
    case TextEncoding::kHex: return HexEncode(bytes, upper_hex);
    case TextEncoding::kBase64: return Base64Encode(bytes);
    case TextEncoding::kUtf8: return Utf8Sanitize(bytes);
    case TextEncoding::kAscii: {
      std::string out;
      for (unsigned char c : bytes) {
        if (c < 0x80) out += static_cast<char>(c);
        else out += "\xEF\xBF\xBD";
      }
      return out;
    }
  }
  return {};
}

}  // namespace pipeline::sql::scalar
