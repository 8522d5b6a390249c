// SQL types in the ksqlDB dialect. Values at run time are pipeline::Value; an INT is a Value int64 whose SQL type is
// kInt (arithmetic on it wraps to 32 bits, as in ksqlDB/Java).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pipeline::sql {

enum class TypeId {
  kUnknown,  // the type of a NULL literal before context gives it one
  kBoolean,
  kInt,
  kBigInt,
  kDouble,
  kDecimal,
  kString,
  kBytes,
  kDate,
  kTime,
  kTimestamp,
  kArray,
  kMap,
  kStruct,
};

struct SqlType;
using SqlTypePtr = std::shared_ptr<const SqlType>;

struct StructField {
  std::string name;
  SqlTypePtr type;
};

struct SqlType {
  TypeId id = TypeId::kUnknown;
  int precision = 0;                 // DECIMAL(p, s)
  int scale = 0;
  SqlTypePtr element;                // ARRAY<element>; MAP value type
  SqlTypePtr key;                    // MAP key type (ksqlDB: STRING)
  std::vector<StructField> fields;   // STRUCT<name type, ...>

  static SqlType Of(TypeId id) { SqlType t; t.id = id; return t; }
  static SqlType Decimal(int precision, int scale);
  static SqlType Array(SqlType element);
  static SqlType Map(SqlType key, SqlType value);
  static SqlType Struct(std::vector<StructField> fields);

  bool is_numeric() const { return id == TypeId::kInt || id == TypeId::kBigInt || id == TypeId::kDouble || id == TypeId::kDecimal; }
  bool operator==(const SqlType& o) const;
  bool operator!=(const SqlType& o) const { return !(*this == o); }
  // ksqlDB spelling: INTEGER, BIGINT, DECIMAL(4, 2), ARRAY<STRING>, MAP<STRING, INTEGER>, STRUCT<`A` INTEGER>
  std::string ToString() const;
};

// Common types as shared pointers, for StructField / element slots.
SqlTypePtr MakeType(SqlType t);

}  // namespace pipeline::sql
