// A record value as an Elasticsearch document: JSON, with timestamps and dates as ISO 8601 text or epoch
// milliseconds and decimals as exact numbers or strings (never base64, the Kafka Connect trap).
#pragma once

#include <string>

#include "connectors/elasticsearch/elasticsearch_settings.h"
#include "core/value.h"

namespace pipeline::elasticsearch {

// Appends `value` as a JSON document. A value that is not an object (a line of text, a number) is wrapped as
// {"message": value}, since a document must be an object.
void AppendDocument(const Value& value, const DocumentFormat& format, std::string& out);

// "2026-12-05T02:30:00.123Z"
std::string IsoTimestamp(int64_t epoch_millis);

}  // namespace pipeline::elasticsearch
