// A column's value from the server's text form (pgoutput's, or a query result's), typed by the column's type OID.
// Precision is never lost: a numeric that fits 38 digits is a Decimal, a wider one and NaN/±Infinity stay strings;
// timestamps keep their microseconds as ISO 8601 text (the core's Timestamp holds milliseconds). Types without a
// mapping arrive as their text.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/value.h"

namespace pipeline::postgres_client {

using Oid = uint32_t;  // a PostgreSQL type's object id

// Built-in type OIDs (pg_type.dat); they never change between server versions.
namespace pg_type {
constexpr Oid kBool = 16, kBytea = 17, kInt8 = 20, kInt2 = 21, kInt4 = 23, kText = 25, kOid = 26, kJson = 114,
              kFloat4 = 700, kFloat8 = 701, kBpchar = 1042, kVarchar = 1043, kDate = 1082, kTime = 1083,
              kTimestamp = 1114, kTimestampTz = 1184, kInterval = 1186, kNumeric = 1700, kUuid = 2950, kJsonb = 3802;
}  // namespace pg_type

// True when the OID has a mapping of its own (anything else arrives as text; the source warns once per column).
bool HasTypeMapping(Oid type);

// `text` is the server's output with DateStyle ISO (the source sets it on its connection).
Value ColumnValue(Oid type, int32_t type_modifier, std::string_view text);

}  // namespace pipeline::postgres_client
