// Key and value formats of Kafka messages, with ksqlDB's names: json, lines, bytes and the KAFKA_* primitives
// (KAFKA_INT: 4-byte big-endian int, KAFKA_BIGINT: 8-byte big-endian, KAFKA_DOUBLE: 8-byte IEEE 754 big-endian,
// KAFKA_STRING: UTF-8 text). A null payload is a null Value and back (tombstones stay tombstones).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/value.h"
#include "formats/json.h"

namespace pipeline::kafka {

enum class KafkaFormat { kJson, kLines, kBytes, kInt, kBigint, kDouble, kString };

std::vector<std::string> KafkaFormatNames();
Result<KafkaFormat> ParseKafkaFormat(const std::string& name);
std::string_view KafkaFormatName(KafkaFormat format);

// Turns payloads into Values. Holds the JSON parser and shared field names, so keep one per thread.
class PayloadDecoder {
 public:
  explicit PayloadDecoder(KafkaFormat format);
  // payload == nullptr means a null payload (no key, or a tombstone value). With `readable_after` bytes
  // readable past the payload (at least simdjson's padding, 64), JSON is parsed in place instead of copied.
  Status Decode(const void* payload, size_t size, Value& out, size_t readable_after = 0);
  // JSON objects keep only these top-level fields (see FieldDemand).
  void Project(const FieldDemand& demand) { json_.Project(demand); }

 private:
  KafkaFormat format_;
  JsonReader json_;
  FieldNamesPtr lines_names_;  // {"message"}
};

// Appends the encoding of `v` to `out`. Returns false in *is_null for a null Value (send a null payload).
// A Value that does not fit the format (a string for KAFKA_INT) is a DataError.
Status EncodePayload(KafkaFormat format, const Value& v, std::string& out, bool* is_null);

}  // namespace pipeline::kafka
