// Conversions between values: CAST semantics (ksqlDB rules), JSON-level values into a declared schema type,
// and text forms (TIME; dates and doubles print with core/civil_date.h and functions/scalar/java_text.h) where
// ksqlDB shows values as strings.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/value.h"
#include "sql/functions/scalar_function.h"
#include "sql/types.h"

namespace pipeline::sql {

// Built once per target type (at bind time) so that struct field names are shared, not rebuilt per row.
class TypeConverter {
 public:
  explicit TypeConverter(SqlType type);
  const SqlType& type() const { return type_; }
  // JSON-level value (as decoded from the wire) into this type; false on a value that does not fit. A value that
  // already has this type's kind is copied as it is, inline (the usual case, once per field of every record).
  bool FromJson(const Value& in, Value& out) const {
    if (in.kind() != same_kind_) return Convert(in, out);
    out = in;
    return true;
  }
  // The same for a value the caller gives up: strings and structs only `in` holds are moved, not copied (what
  // is left in `in` is null or partly taken apart).
  bool FromJson(Value&& in, Value& out) const;
  // CAST(in AS type) given the source type; NULL plus ctx.Fail on a bad value.
  Value Cast(const Value& in, const SqlType& from, EvalContext& ctx) const;
  const FieldNamesPtr& names() const { return names_; }

 private:
  SqlType type_;
  FieldNamesPtr names_;                    // STRUCT
  std::vector<TypeConverter> children_;    // STRUCT fields, or [element] for ARRAY/MAP
  // JSON objects of the same shape share one FieldNames: remember the last shape's field mapping.
  mutable FieldNamesPtr last_shape_;  // kept alive so the address cannot be reused
  mutable std::vector<int> last_mapping_;  // struct field i <- input index (or -1)
  mutable bool last_mapping_repeats_ = false;  // two fields read one input field: it cannot be moved to both

  // The Value kind that is this type unchanged (BIGINT: kInt, VARCHAR: kString, ...); kNull when there is none
  // (INT needs a range check, DECIMAL a fit, composites their fields): FromJson then always converts.
  Value::Kind same_kind_ = Value::Kind::kNull;

  bool Convert(const Value& in, Value& out) const;
  const std::vector<int>& MappingFor(const FieldNamesPtr& shape) const;
  bool ConvertInPlace(Struct& in) const;  // false when the fields do not line up (or a field does not convert)
  template <typename S>  // const Struct: copies its fields; Struct: moves them
  bool StructFrom(S& in, Value& out) const;
};

std::string FormatTime(int64_t millis);               // 10:11:12 (with .SSS when non-zero)
std::optional<int32_t> ParseDate(const std::string& s);
std::optional<int64_t> ParseTime(const std::string& s);
std::optional<int64_t> ParseTimestamp(const std::string& s);  // ISO-8601, optional zone
// Value as ksqlDB shows it when cast to STRING.
std::string ValueToSqlString(const Value& v, const SqlType& type);
// Value wrapped to the 32-bit range for INT arithmetic.
inline int64_t WrapInt32(int64_t v) { return static_cast<int32_t>(static_cast<uint32_t>(v)); }

}  // namespace pipeline::sql
