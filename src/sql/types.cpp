#include "sql/types.h"

namespace pipeline::sql {

SqlType SqlType::Decimal(int precision, int scale) {
  SqlType t;
  t.id = TypeId::kDecimal;
  t.precision = precision;
  t.scale = scale;
  return t;
}

SqlType SqlType::Array(SqlType element) {
  SqlType t;
  t.id = TypeId::kArray;
  t.element = MakeType(std::move(element));
  return t;
}

SqlType SqlType::Map(SqlType key, SqlType value) {
  SqlType t;
  t.id = TypeId::kMap;
  t.key = MakeType(std::move(key));
  t.element = MakeType(std::move(value));
  return t;
}

SqlType SqlType::Struct(std::vector<StructField> fields) {
  SqlType t;
  t.id = TypeId::kStruct;
  t.fields = std::move(fields);
  return t;
}

static bool SameType(const SqlTypePtr& a, const SqlTypePtr& b) {
  if (!a || !b) return a == b;
  return *a == *b;
}

bool SqlType::operator==(const SqlType& o) const {
  if (id != o.id) return false;
  switch (id) {
    case TypeId::kDecimal: return precision == o.precision && scale == o.scale;
    case TypeId::kArray: return SameType(element, o.element);
    case TypeId::kMap: return SameType(key, o.key) && SameType(element, o.element);
    case TypeId::kStruct:
      if (fields.size() != o.fields.size()) return false;
      for (size_t i = 0; i < fields.size(); ++i)
        if (fields[i].name != o.fields[i].name || !SameType(fields[i].type, o.fields[i].type)) return false;
      return true;
    default: return true;
  }
}

std::string SqlType::ToString() const {
  switch (id) {
    case TypeId::kUnknown: return "NULL";
    case TypeId::kBoolean: return "BOOLEAN";
    case TypeId::kInt: return "INTEGER";
    case TypeId::kBigInt: return "BIGINT";
    case TypeId::kDouble: return "DOUBLE";
    case TypeId::kDecimal: return "DECIMAL(" + std::to_string(precision) + ", " + std::to_string(scale) + ")";
    case TypeId::kString: return "STRING";
    case TypeId::kBytes: return "BYTES";
    case TypeId::kDate: return "DATE";
    case TypeId::kTime: return "TIME";
    case TypeId::kTimestamp: return "TIMESTAMP";
    case TypeId::kArray: return "ARRAY<" + (element ? element->ToString() : "NULL") + ">";
    case TypeId::kMap:
      return "MAP<" + (key ? key->ToString() : "STRING") + ", " + (element ? element->ToString() : "NULL") + ">";
    case TypeId::kStruct: {
      std::string s = "STRUCT<";
      for (size_t i = 0; i < fields.size(); ++i) {
        if (i) s += ", ";
        s += "`" + fields[i].name + "` " + (fields[i].type ? fields[i].type->ToString() : "NULL");
      }
      return s + ">";
    }
  }
  return "?";
}

SqlTypePtr MakeType(SqlType t) { return std::make_shared<const SqlType>(std::move(t)); }

}  // namespace pipeline::sql
