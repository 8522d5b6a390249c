// Fixed-width integers as the binlog stores them: little-endian in headers and most values, big-endian in the
// MySQL 5.6 temporal forms, decimals and bit fields.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace pipeline::mysql_cdc {

inline uint64_t LittleEndian(std::string_view data, size_t at, size_t width) {
  uint64_t v = 0;
  for (size_t i = 0; i < width; ++i) v |= uint64_t{static_cast<uint8_t>(data[at + i])} << (8 * i);
  return v;
}

inline uint64_t BigEndian(std::string_view data, size_t at, size_t width) {
  uint64_t v = 0;
  for (size_t i = 0; i < width; ++i) v = v << 8 | static_cast<uint8_t>(data[at + i]);
  return v;
}

inline int64_t SignExtend(uint64_t v, size_t width) {
  const unsigned shift = 64 - 8 * static_cast<unsigned>(width);
  return static_cast<int64_t>(v << shift) >> shift;
}

}  // namespace pipeline::mysql_cdc
