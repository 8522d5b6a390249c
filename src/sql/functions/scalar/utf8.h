// UTF-8 helpers. ksqlDB counts and indexes strings in Java chars; pipe counts code points, which agrees
// everywhere except for characters outside the Basic Multilingual Plane (emoji count 1 here, 2 in Java).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace pipeline::sql::scalar {

inline bool IsAscii(std::string_view s) {
  for (unsigned char c : s)
    if (c >= 0x80) return false;
  return true;
}

inline bool IsContinuationByte(unsigned char c) { return (c & 0xC0) == 0x80; }

inline size_t CodePointCount(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += !IsContinuationByte(c);
  return n;
}

// Byte offset of code point `index` (clamped to s.size()).
inline size_t ByteOffset(std::string_view s, size_t index) {
  size_t i = 0;
  for (; i < s.size() && index > 0; ++i)
    if (i + 1 >= s.size() || !IsContinuationByte(static_cast<unsigned char>(s[i + 1]))) --index;
  return i;
}

// Decodes the code point at s[i] and advances i; invalid bytes decode as themselves.
inline char32_t NextCodePoint(std::string_view s, size_t& i) {
  unsigned char c = static_cast<unsigned char>(s[i++]);
  if (c < 0x80) return c;
  int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
  char32_t cp = c & (0x3F >> extra);
  for (int k = 0; k < extra && i < s.size() && IsContinuationByte(static_cast<unsigned char>(s[i])); ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(s[i++]) & 0x3F);
  return cp;
}

inline void AppendCodePoint(char32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace pipeline::sql::scalar
