// The dead-letter envelope, one JSON object per line (fields: src/plugin/README.md, "Dead letters"):
//   {"time": "2026-12-05T02:30:00.123Z", "stage": "sink", "component": "orders_out",
//    "error": {"kind": "data", "message": "..."},
//    "record": {"key": ..., "value": ..., "headers": [{"key": "k", "value": "v"}], "topic": "orders",
//               "partition": 0, "position": "orders/0@42", "timestamp": 1764901800000,
//               "window": null | {"start": ms, "end": ms[, "session": true]}}}
// `raw_base64` replaces `value` for input that was never decoded, or whose JSON text is not UTF-8. Writing and
// reading live side by side so that what is written can always be read back (the `dead_letter` format).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/record.h"
#include "core/result.h"

namespace pipeline {

// What a dead letter holds (plugin/dead_letter.h writes them): declared with its envelope, so the `dead_letter`
// format reads back what is written without formats depending on plugin.

// Where in the pipeline the record failed; the envelope's "stage".
enum class FailedStage { kDecode, kTransform, kSql, kSink };
std::string_view FailedStageName(FailedStage stage);  // "decode" | "transform" | "sql" | "sink"

struct DeadLetter {
  FailedStage stage = FailedStage::kTransform;
  std::string component;  // the source, transform or sink that failed it
  Error error;            // its kind becomes error.kind ("data", "fatal", ...), its message error.message
  const Record* record = nullptr;
  // The input bytes when they could not be decoded: the envelope keeps them as raw_base64 instead of a value.
  std::optional<std::string_view> undecoded;
  int64_t time_ms = 0;  // when it failed, ms since epoch; 0 = now
};

// "data" | "config" | "retryable" | "fatal"
std::string_view ErrorKindName(ErrorKind kind);

// Appends the envelope of `letter` to `out`, without a newline.
void AppendDeadLetterEnvelope(const DeadLetter& letter, std::string& out);

// The envelope's "record" object alone, for `record`: what sinks with `metadata: true` write, so that a whole
// record reads the same wherever people see it.
void AppendRecordEnvelope(const Record& record, std::string& out);

// The original record of an envelope: key, value (a string of the raw bytes for raw_base64), headers, topic,
// partition, timestamp, window. Not its position: a replayed record sits where the source replaying it reads it.
// A DataError names the field that is missing or malformed.
Status RecordFromDeadLetterEnvelope(const Value& envelope, Record& record);

// Structure only (lead byte + continuation bytes): enough to know bytes survive as a JSON string.
bool IsValidUtf8(std::string_view s);

}  // namespace pipeline
