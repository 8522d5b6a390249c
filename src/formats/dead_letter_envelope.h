// The dead-letter envelope, one JSON object per line (fields: src/plugin/README.md, "Dead letters"):
//   {"time": "2026-12-05T02:30:00.123Z", "stage": "sink", "component": "orders_out",
//    "error": {"kind": "data", "message": "..."},
//    "record": {"key": ..., "value": ..., "headers": [{"key": "k", "value": "v"}], "topic": "orders",
//               "partition": 0, "position": "orders/0@42", "timestamp": 1764901800000}}
// `raw_base64` replaces `value` for input that was never decoded, or whose JSON text is not UTF-8. Writing and
// reading live side by side so that what is written can always be read back (the `dead_letter` format).
#pragma once

#include <string>
#include <string_view>

#include "core/record.h"
#include "core/result.h"
#include "plugin/dead_letter.h"

namespace pipeline {

// Appends the envelope of `letter` to `out`, without a newline.
void AppendDeadLetterEnvelope(const DeadLetter& letter, std::string& out);

// The original record of an envelope: key, value (a string of the raw bytes for raw_base64), headers, topic,
// partition, timestamp. Not its position: a replayed record sits where the source replaying it reads it.
// A DataError names the field that is missing or malformed.
Status RecordFromDeadLetterEnvelope(const Value& envelope, Record& record);

// Structure only (lead byte + continuation bytes): enough to know bytes survive as a JSON string.
bool IsValidUtf8(std::string_view s);

}  // namespace pipeline
