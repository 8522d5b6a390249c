// RawPayloadBlock: the JSON payloads of one Read() of the kafka source, copied into a few large buffers, and
// the RawValues made from them, all owned by one shared block. A record's `raw` points into the block (a
// shared_ptr sharing the block's ownership), so keeping the bytes for a sink costs no allocation per message,
// and the records a Filter drops cost only the copy of their bytes. The block lives until the last record that
// holds its raw value is gone (usually once the sink delivered it). Built on the source thread; read-only once
// its records are emitted.
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>
#include <vector>

#include "core/record.h"

namespace pipeline::kafka {

class RawPayloadBlock {
 public:
  // Every copy is followed by at least this many readable bytes: simdjson parses it in place (its padding).
  static constexpr size_t kReadableAfter = 64;

  // Room for `max_values` RawValues; more are made one by one (MakeRawValue).
  explicit RawPayloadBlock(size_t max_values) { values_.reserve(max_values); }
  RawPayloadBlock(const RawPayloadBlock&) = delete;
  RawPayloadBlock& operator=(const RawPayloadBlock&) = delete;

  // Copies `size` bytes into the block; the view stays valid while the block lives.
  std::string_view Copy(const void* data, size_t size);

  // The raw value of `bytes` (a view returned by Copy) decoded as `decoded`, owned by `block`.
  static std::shared_ptr<const RawValue> Add(const std::shared_ptr<RawPayloadBlock>& block, std::string_view bytes,
                                             const Value& decoded);

 private:
  // 64 KiB buffers: a few per batch of small messages; a larger message gets a buffer of its own size.
  static constexpr size_t kBufferBytes = (64 << 10) - kReadableAfter;

  std::vector<std::unique_ptr<char[]>> buffers_;
  size_t used_ = 0;               // bytes used in buffers_.back()
  size_t capacity_ = 0;           // bytes of buffers_.back() that copies may use (the padding comes after)
  std::vector<RawValue> values_;  // never grows past its reserve: records point at its elements
};

}  // namespace pipeline::kafka
