// DecodeColumn: one column value of a binlog row image, by the column's binlog type and table-map metadata.
//
//   tinyint..bigint   int; an unsigned bigint above 2^63-1 a decimal (precision 20, scale 0), so it stays exact
//   decimal           decimal up to 38 digits, beyond that its exact text
//   float, double     double
//   bit               bit(1) a boolean, bit(2..63) an int, bit(64) a decimal
//   char..text        string (latin1 converted to UTF-8, other character sets passed as they are stored)
//   binary..blob      bytes (the columns with the binary collation, 63)
//   date              date; datetime "YYYY-MM-DDTHH:MM:SS.ffffff"; timestamp the same in UTC with a "Z";
//   time              "[-]HH:MM:SS.ffffff" (hours may exceed 24); year an int
//   enum, set         the member name, the set's member names joined with ","
//   json              MariaDB stores JSON as longtext: its text. MySQL's binary JSON arrives as bytes.
// Zero dates (0000-00-00 and dates with a zero month or day) become null, and `zero_date` is set so that the
// caller can warn once, as Debezium does.
#pragma once

#include <string_view>

#include "connectors/mysql_cdc/table_map.h"
#include "core/value.h"

namespace pipeline::mysql_cdc {

// Reads one value at `at` and advances past it. False when the bytes end early or the type is unknown.
bool DecodeColumn(const TableColumn& column, std::string_view data, size_t& at, Value& out, bool& zero_date);
// The date and time types (temporal_decoder.cpp); DecodeColumn hands them on.
bool DecodeTemporal(const TableColumn& column, std::string_view data, size_t& at, Value& out, bool& zero_date);

}  // namespace pipeline::mysql_cdc
