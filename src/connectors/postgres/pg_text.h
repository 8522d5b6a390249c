// Record values as PostgreSQL reads them: the text form of each type (what COPY's text format and text-format
// query parameters take), COPY's escaping, and the column type `auto_create` gives a value.
//
// Precision is kept: a decimal is written with all its digits, a double in its shortest exact form (NaN and
// ±Infinity as PostgreSQL spells them), a string as it is, so that a numeric beyond 38 digits, a microsecond
// timestamp, a uuid or a json text that arrived as a string reaches a numeric, timestamp, uuid or jsonb column
// unchanged. Structs, maps and arrays are written as JSON (for json/jsonb columns).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/value.h"

namespace pipeline::postgres {

// Appends the text PostgreSQL parses as `v`; false (nothing appended) for null.
bool AppendPgText(const Value& v, std::string& out);

// Appends `text` escaped for one field of COPY's text format: backslash, tab, newline and carriage return.
void AppendCopyEscaped(std::string_view text, std::string& out);

// Appends one COPY text line for `values` (null as \N), tab-separated, ending in a newline.
void AppendCopyLine(const std::vector<const Value*>& values, std::string& out);

// The column type for a value's kind when a table or column is created from a record: bigint, double precision,
// numeric(p,s), boolean, text, bytea, date, time, timestamptz, jsonb; text for null (its type is unknown).
std::string PgColumnType(const Value& v);

}  // namespace pipeline::postgres
