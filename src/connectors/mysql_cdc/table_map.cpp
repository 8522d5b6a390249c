#include "connectors/mysql_cdc/table_map.h"

namespace pipeline::mysql_cdc {
namespace {

// The optional metadata field types (MySQL's Table_map_log_event::Optional_metadata_field_type).
enum OptionalField : uint8_t {
  kSignedness = 1,
  kDefaultCharset = 2,
  kColumnCharset = 3,
  kColumnName = 4,
  kSetValues = 5,
  kEnumValues = 6,
  kGeometryType = 7,
  kSimplePrimaryKey = 8,
  kPrimaryKeyWithPrefix = 9,
};

bool IsNumeric(uint8_t type) {
  switch (type) {
    case kTiny:
    case kShort:
    case kInt24:
    case kLong:
    case kLongLong:
    case kFloat:
    case kDouble:
    case kNewDecimal:
    case kDecimalOld:
      return true;
    default:
      return false;
  }
}

// Columns that carry a character set in the optional metadata (enum and set have their own, unused here).
bool IsCharacter(uint8_t type) {
  switch (type) {
    case kString:
    case kVarString:
    case kVarchar:
    case kBlob:
    case kTinyBlob:
    case kMediumBlob:
    case kLongBlob:
      return true;
    default:
      return false;
  }
}

// Bytes of per-column metadata each binlog type carries in the table map.
int MetaBytes(uint8_t type) {
  switch (type) {
    case kFloat:
    case kDouble:
    case kBlob:
    case kTinyBlob:
    case kMediumBlob:
    case kLongBlob:
    case kGeometry:
    case kJson:
    case kTime2:
    case kDateTime2:
    case kTimestamp2:
      return 1;
    case kVarchar:
    case kVarString:
    case kBit:
    case kNewDecimal:
    case kString:
    case kEnum:
    case kSet:
      return 2;
    default:
      return 0;
  }
}

Error Truncated(const TableMap& map, const char* part) {
  return FatalError("binlog: the table map of " + map.database + "." + map.table + " ends inside its " + part);
}

bool ReadString(std::string_view bytes, size_t& at, std::string& out) {
  uint64_t length = 0;
  if (!ReadLengthEncoded(bytes, at, length) || length > bytes.size() - at) return false;
  out.assign(bytes.substr(at, length));
  at += length;
  return true;
}

// SET_STR_VALUE / ENUM_STR_VALUE: per column of that kind, a count and that many strings.
bool ReadMembers(std::string_view field, TableMap& map, uint8_t kind) {
  size_t at = 0;
  for (TableColumn& column : map.columns) {
    if (column.type != kind) continue;
    uint64_t count = 0;
    if (!ReadLengthEncoded(field, at, count)) return false;
    for (uint64_t i = 0; i < count; ++i)
      if (!ReadString(field, at, column.members.emplace_back())) return false;
  }
  return true;
}

bool ReadCharsets(std::string_view field, uint8_t kind, TableMap& map) {
  std::vector<TableColumn*> characters;
  for (TableColumn& column : map.columns)
    if (IsCharacter(column.type)) characters.push_back(&column);
  size_t at = 0;
  uint64_t value = 0;
  if (kind == kColumnCharset) {
    for (TableColumn* column : characters) {
      if (!ReadLengthEncoded(field, at, value)) return false;
      column->collation = static_cast<uint32_t>(value);
    }
    return true;
  }
  // DEFAULT_CHARSET: the collation most columns have, then (character column index, collation) exceptions.
  if (!ReadLengthEncoded(field, at, value)) return false;
  for (TableColumn* column : characters) column->collation = static_cast<uint32_t>(value);
  while (at < field.size()) {
    uint64_t index = 0;
    if (!ReadLengthEncoded(field, at, index) || !ReadLengthEncoded(field, at, value)) return false;
    if (index < characters.size()) characters[index]->collation = static_cast<uint32_t>(value);
  }
  return true;
}

bool ReadOptionalField(uint8_t kind, std::string_view field, TableMap& map) {
  size_t at = 0;
  switch (kind) {
    case kSignedness: {
      size_t numeric = 0;
      for (TableColumn& column : map.columns) {
        if (!IsNumeric(column.type)) continue;
        if (numeric / 8 >= field.size()) return false;
        column.is_unsigned = (static_cast<uint8_t>(field[numeric / 8]) >> (7 - numeric % 8)) & 1;
        ++numeric;
      }
      return true;
    }
    case kDefaultCharset:
    case kColumnCharset:
      return ReadCharsets(field, kind, map);
    case kColumnName:
      for (TableColumn& column : map.columns)
        if (!ReadString(field, at, column.name)) return false;
      map.has_names = true;
      return true;
    case kSetValues:
      return ReadMembers(field, map, kSet);
    case kEnumValues:
      return ReadMembers(field, map, kEnum);
    case kSimplePrimaryKey:
    case kPrimaryKeyWithPrefix:
      while (at < field.size()) {
        uint64_t index = 0, prefix = 0;
        if (!ReadLengthEncoded(field, at, index)) return false;
        if (kind == kPrimaryKeyWithPrefix && !ReadLengthEncoded(field, at, prefix)) return false;
        if (index >= map.columns.size()) return false;
        map.key_columns.push_back(index);
      }
      return true;
    default:
      return true;  // geometry types, enum/set charsets and fields newer servers add
  }
}

}  // namespace

bool ReadLengthEncoded(std::string_view bytes, size_t& at, uint64_t& value) {
  if (at >= bytes.size()) return false;
  const auto first = static_cast<uint8_t>(bytes[at++]);
  // 0xfb (NULL) and 0xff are no length: reading 99 bytes for them shifted past 64 bits (found by fuzzing).
  if (first == 0xfb || first == 0xff) return false;
  const size_t width = first < 0xfb ? 0 : first == 0xfc ? 2 : first == 0xfd ? 3 : 8;
  if (width == 0) {
    value = first;
    return true;
  }
  if (width > bytes.size() - at) return false;
  value = 0;
  for (size_t i = 0; i < width; ++i) value |= uint64_t{static_cast<uint8_t>(bytes[at + i])} << (8 * i);
  at += width;
  return true;
}

Result<TableMap> ParseTableMap(const TableMapBytes& bytes) {
  TableMap map;
  map.table_id = bytes.table_id;
  map.database = std::string(bytes.database);
  map.table = std::string(bytes.table);
  const size_t count = bytes.column_types.size();
  if (bytes.null_bitmap.size() < (count + 7) / 8) return Truncated(map, "null bitmap");
  size_t at = 0;
  for (size_t i = 0; i < count; ++i) {
    TableColumn column;
    column.type = static_cast<uint8_t>(bytes.column_types[i]);
    const int width = MetaBytes(column.type);
    if (at + width > bytes.metadata.size()) return Truncated(map, "column metadata");
    const auto byte = [&](size_t k) { return static_cast<uint16_t>(static_cast<uint8_t>(bytes.metadata[at + k])); };
    if (width == 1) column.meta = byte(0);
    // Little-endian lengths; decimal (precision, scale), bit (bits % 8, bytes) and string (real type, length)
    // are two single bytes, kept high byte first.
    if (width == 2)
      column.meta =
          column.type == kVarchar || column.type == kVarString ? byte(0) | byte(1) << 8 : byte(0) << 8 | byte(1);
    at += width;
    if (column.type == kString) {
      // A STRING column's first metadata byte is its real type; lengths above 255 borrow its bits 4-5.
      const uint8_t real = static_cast<uint8_t>(column.meta >> 8);
      const uint16_t length = column.meta & 0xff;
      if ((real & 0x30) != 0x30) {
        column.type = kString;
        column.meta = length | (((real & 0x30) ^ 0x30) << 4);
      } else {
        column.type = real;
        column.meta = length;
      }
    }
    column.nullable = (static_cast<uint8_t>(bytes.null_bitmap[i / 8]) >> (i % 8)) & 1;
    column.name = "col_" + std::to_string(i + 1);
    map.columns.push_back(std::move(column));
  }
  std::string_view optional = bytes.optional_metadata;
  for (size_t pos = 0; pos < optional.size();) {
    const auto kind = static_cast<uint8_t>(optional[pos++]);
    uint64_t length = 0;
    if (!ReadLengthEncoded(optional, pos, length) || length > optional.size() - pos)
      return Truncated(map, "optional metadata");
    if (!ReadOptionalField(kind, optional.substr(pos, length), map)) return Truncated(map, "optional metadata");
    pos += length;
  }
  return map;
}

}  // namespace pipeline::mysql_cdc
