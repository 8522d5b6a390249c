// ksqlDB lets a string literal stand for a DATE, TIME or TIMESTAMP argument ('2022-06-14', '09:16:00',
// '2022-06-14T09:16:00'); these read such strings when a STRING argument was bound to a temporal parameter.
#pragma once

#include <optional>
#include <string>

#include "core/value.h"
#include "sql/types.h"

namespace pipeline::sql::scalar {

// DATE: yyyy-MM-dd; TIME: HH:mm[:ss[.SSS]]; TIMESTAMP: yyyy-MM-dd'T'HH:mm[:ss[.SSS]][offset] (UTC by default).
std::optional<Value> ParseTemporalLiteral(const std::string& text, TypeId type);

// The epoch value of a DATE (days), TIME (ms of day) or TIMESTAMP (epoch ms) argument. Besides the typed Value,
// a raw number or ISO text is accepted, so that a decoder that hands over the wire form still works.
int64_t TemporalNumber(const Value& v, TypeId type);
inline int64_t DaysOf(const Value& v) { return v.kind() == Value::Kind::kDate ? v.as_date().days : TemporalNumber(v, TypeId::kDate); }
inline int64_t TimeMillisOf(const Value& v) { return v.kind() == Value::Kind::kTime ? v.as_time().millis : TemporalNumber(v, TypeId::kTime); }
inline int64_t TimestampMillisOf(const Value& v) {
  return v.kind() == Value::Kind::kTimestamp ? v.as_timestamp().millis : TemporalNumber(v, TypeId::kTimestamp);
}

}  // namespace pipeline::sql::scalar
