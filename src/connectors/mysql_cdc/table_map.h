// TableMap: a binlog TABLE_MAP event's description of a table — database, name, and per column its binlog type,
// type metadata, nullability, signedness, character set, name, enum/set member names — plus its primary key.
// With binlog_row_metadata=FULL the server puts names, keys and signedness into each table map, so no DDL parser
// is needed and an ALTER TABLE takes effect from the next change (the next table map describes the new shape).
//
// Connector/C splits the event into its fixed parts; the optional metadata (a list of type-length-value fields)
// is read here from its bytes, because Connector/C 3.3 keeps only the first byte of DEFAULT_CHARSET and drops its
// per-column exceptions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace pipeline::mysql_cdc {

// The binlog column types (enum_field_types) the decoder knows.
enum ColumnType : uint8_t {
  kDecimalOld = 0,
  kTiny = 1,
  kShort = 2,
  kLong = 3,
  kFloat = 4,
  kDouble = 5,
  kNull = 6,
  kTimestamp = 7,
  kLongLong = 8,
  kInt24 = 9,
  kDate = 10,
  kTime = 11,
  kDateTime = 12,
  kYear = 13,
  kNewDate = 14,
  kVarchar = 15,
  kBit = 16,
  kTimestamp2 = 17,
  kDateTime2 = 18,
  kTime2 = 19,
  kJson = 245,
  kNewDecimal = 246,
  kEnum = 247,
  kSet = 248,
  kTinyBlob = 249,
  kMediumBlob = 250,
  kLongBlob = 251,
  kBlob = 252,
  kVarString = 253,
  kString = 254,
  kGeometry = 255,
};

constexpr uint32_t kBinaryCollation = 63;

struct TableColumn {
  std::string name;
  uint8_t type = 0;   // for STRING columns, the real type (STRING, ENUM or SET) from the metadata
  uint16_t meta = 0;  // type metadata: length, precision<<8|scale, fractional digits, length bytes
  bool nullable = true;
  bool is_unsigned = false;
  uint32_t collation = 0;            // character columns only; 63 is binary
  std::vector<std::string> members;  // enum and set member names
};

struct TableMap {
  uint64_t table_id = 0;
  std::string database;
  std::string table;
  std::vector<TableColumn> columns;
  std::vector<size_t> key_columns;  // primary-key columns, in key order
  bool has_names = false;           // binlog_row_metadata=FULL wrote the column names
};

// The parts of a TABLE_MAP event as Connector/C splits them; optional_metadata is everything after the null
// bitmap (up to the checksum).
struct TableMapBytes {
  uint64_t table_id = 0;
  std::string_view database;
  std::string_view table;
  std::string_view column_types;
  std::string_view metadata;
  std::string_view null_bitmap;
  std::string_view optional_metadata;
};

// A Fatal error when the bytes end early: the binlog is not what the server promises.
Result<TableMap> ParseTableMap(const TableMapBytes& bytes);

// Length-encoded integer of the client protocol; advances `at`. False when the bytes end early.
bool ReadLengthEncoded(std::string_view bytes, size_t& at, uint64_t& value);

}  // namespace pipeline::mysql_cdc
