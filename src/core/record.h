// Record and Batch: what flows between stages. A Batch carries the acknowledgement tokens of the source
// batches its records came from; a token completes when the last holder drops it (see core/ack.h).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ack.h"
#include "core/position.h"
#include "core/value.h"

namespace pipeline {

struct Header {
  std::string key;
  std::optional<std::string> value;  // Kafka allows null header values
  bool operator==(const Header& o) const = default;
};

// Window bounds of a windowed key (ksqlDB WINDOWSTART / WINDOWEND), milliseconds.
struct WindowBounds {
  int64_t start = 0;
  int64_t end = 0;
  bool session = false;
  bool operator==(const WindowBounds& o) const = default;
};

// The bytes a value was decoded from, kept while a sink can use them: a sink writing the same format writes them
// as they came instead of encoding the value again (as Redpanda Connect passes raw messages through). `decoded` is
// the value made from them; values are immutable, so a transform that changes the value makes a new one, and
// holding this one keeps its address from being reused. `bytes` belong to whatever owns the RawValue through its
// shared_ptr: its own copy (MakeRawValue), or a block holding a whole source batch's bytes (the kafka source's
// RawPayloadBlock), so that a source need not allocate per record.
struct RawValue {
  std::string format;  // "json"
  std::string_view bytes;
  Value decoded;

  // True while `v` is still the value decoded from the bytes.
  bool Describes(const Value& v) const { return v.is_struct() && decoded.is_struct() && &v.as_struct() == &decoded.as_struct(); }
};

// A RawValue that owns a copy of `bytes` (in the same shared allocation; bytes past the SSO get their own buffer).
inline std::shared_ptr<const RawValue> MakeRawValue(std::string format, std::string_view bytes, Value decoded) {
  struct Owned {
    std::string storage;
    RawValue raw;
  };
  auto owned = std::make_shared<Owned>();
  owned->storage.assign(bytes);  // never moved afterwards: raw.bytes may view it
  owned->raw = RawValue{std::move(format), owned->storage, std::move(decoded)};
  return std::shared_ptr<const RawValue>(owned, &owned->raw);
}

struct Record {
  Value key;                // null when the record has no key
  Value value;              // usually a Struct; null is a tombstone for tables
  int64_t timestamp = 0;    // event time, ms since epoch (ksqlDB ROWTIME)
  std::vector<Header> headers;
  std::string topic;        // stream or topic name; routers (RegexRouter, TimestampRouter) rewrite it
  int32_t partition = -1;   // source partition (ROWPARTITION), -1 if none
  int64_t offset = -1;      // source offset (ROWOFFSET): byte offset for files, Kafka offset for Kafka
  Position position;        // where the input record that produced this one sits in its source (core/position.h)
  std::optional<WindowBounds> window;
  std::shared_ptr<const RawValue> raw;  // see RawValue; null unless a sink asked for it

  // The raw bytes in `format` when they still describe the value, else null.
  const std::string_view* RawIn(std::string_view format) const {
    return raw && raw->format == format && raw->Describes(value) ? &raw->bytes : nullptr;
  }

  const std::string* FindHeader(std::string_view k) const {
    for (auto it = headers.rbegin(); it != headers.rend(); ++it)
      if (it->key == k && it->value) return &*it->value;
    return nullptr;
  }
};

struct Batch {
  std::vector<Record> records;
  std::vector<AckToken> acks;  // released when this batch (and every copy of its tokens) is done
  // Set by a source: per lane, the position it resumes from once this batch (and every earlier one) is
  // acknowledged. A batch may carry progress and no records (a keepalive's LSN while captured tables are idle).
  std::vector<Position> progress;

  size_t size() const { return records.size(); }
  bool empty() const { return records.empty(); }
  // Moves the other batch's records and tokens into this one.
  void Append(Batch&& other);
};

using BatchPtr = std::shared_ptr<Batch>;

inline void Batch::Append(Batch&& other) {
  if (records.empty()) {
    records = std::move(other.records);
  } else {
    records.reserve(records.size() + other.records.size());
    for (auto& r : other.records) records.push_back(std::move(r));
  }
  for (auto& a : other.acks) acks.push_back(std::move(a));
  progress.insert(progress.end(), other.progress.begin(), other.progress.end());
  other.records.clear();
  other.acks.clear();
  other.progress.clear();
}

}  // namespace pipeline
