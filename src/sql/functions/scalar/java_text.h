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

// ISO forms as java.time prints them: 2021-10-11; 16:43:40 (13:25 when seconds are zero, 16:43:40.123 with
// millis); 1971-11-28T23:46:40.000.
std::string IsoDate(int32_t days);
std::string IsoTime(int64_t millis_of_day);
std::string IsoTimestamp(int64_t epoch_millis);

}  // namespace pipeline::sql::scalar
