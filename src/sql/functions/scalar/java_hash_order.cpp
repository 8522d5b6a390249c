#include "sql/functions/scalar/java_hash_order.h"

#include <algorithm>

#include "sql/functions/scalar/utf8.h"

namespace pipeline::sql::scalar {

namespace {

// HashMap(int initialCapacity): the table is the next power of two, and doubles while the entries exceed 3/4 of it.
uint32_t TableSizeFor(size_t entries) {
  uint32_t capacity = 1;
  while (capacity < entries) capacity <<= 1;
  while (entries > capacity * 3 / 4) capacity <<= 1;  // threshold = (int) (capacity * 0.75)
  return capacity;
}

// HashMap.hash(): the high half is folded into the low half before masking with the table size.
uint32_t Spread(int32_t hash) {
  uint32_t h = static_cast<uint32_t>(hash);
  return h ^ (h >> 16);
}

}  // namespace

int32_t JavaStringHash(std::string_view utf8) {
  uint32_t h = 0;
  auto add = [&](char32_t unit) { h = 31 * h + static_cast<uint32_t>(unit); };
  for (size_t i = 0; i < utf8.size();) {
    char32_t cp = NextCodePoint(utf8, i);
    if (cp < 0x10000) {
      add(cp);
    } else {  // a surrogate pair in UTF-16
      cp -= 0x10000;
      add(0xD800 + (cp >> 10));
      add(0xDC00 + (cp & 0x3FF));
    }
  }
  return static_cast<int32_t>(h);
}

std::vector<size_t> JavaHashMapOrder(const Map& m) {
  const uint32_t mask = TableSizeFor(m.size()) - 1;
  std::vector<std::pair<uint64_t, size_t>> keyed;  // (bucket, insertion index): a bucket's chain keeps insertion order
  keyed.reserve(m.size());
  for (size_t i = 0; i < m.size(); ++i) {
    const Value& k = m[i].first;
    uint64_t bucket = k.is_string() ? Spread(JavaStringHash(k.as_string())) & mask : uint64_t{mask} + 1;
    keyed.emplace_back(bucket, i);
  }
  std::sort(keyed.begin(), keyed.end());
  std::vector<size_t> order;
  order.reserve(keyed.size());
  for (const auto& [bucket, i] : keyed) order.push_back(i);
  return order;
}

}  // namespace pipeline::sql::scalar
