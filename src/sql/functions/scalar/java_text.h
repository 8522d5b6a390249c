// Text forms of values as Java (and so ksqlDB) prints them: Double.toString ("1.0", "1.0E7", "1.0E-4"),
// and the JSON that ksqlDB's UDFs emit (Jackson: compact, doubles as Double.toString, DATE/TIME/TIMESTAMP as
// ISO strings, BYTES as base64).
#pragma once

#include <string>

#include "core/value.h"

namespace pipeline::sql::scalar {

std::string JavaDoubleString(double d);
// String.valueOf(element) for a primitive value; "null" for NULL.
std::string JavaValueString(const Value& v);
// Jackson's serialization of a value, as TO_JSON_STRING and the JSON functions produce it.
void AppendUdfJson(const Value& v, std::string& out);
std::string UdfJson(const Value& v);

// TIME as java.time's LocalTime prints it: 16:43:40 (13:25 when seconds are zero, 16:43:40.123 with millis).
// Dates and timestamps: core/civil_date.h's IsoDate and IsoTimestamp.
std::string IsoTime(int64_t millis_of_day);

}  // namespace pipeline::sql::scalar
