// Operands of a condition: a literal, a field path into the record value (or key), or a record attribute
// ($topic, $timestamp, …). Operands resolve to a Scalar, a view that compares without allocating.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/record.h"
#include "transforms/common/field_slot.h"

namespace pipeline {

// A borrowed view of one value, valid while the record (or literal) it came from lives.
struct Scalar {
  enum class Kind { kNull, kBool, kInt, kDouble, kString, kComposite };
  Kind kind = Kind::kNull;
  bool b = false;
  int64_t i = 0;
  double d = 0;
  std::string_view s;
  const Value* value = nullptr;  // arrays, maps, structs (kComposite)

  static Scalar Of(const Value* v);  // missing (nullptr) is kNull
  bool is_number() const { return kind == Kind::kInt || kind == Kind::kDouble; }
};

// Orders two scalars: <0, 0, >0, or nullopt when they cannot be compared (different types, nulls in ordering).
// Numbers compare across int/double; a string that holds a number compares with a number as that number.
std::optional<int> CompareScalars(const Scalar& a, const Scalar& b);
// Equality: null equals null (and missing), composites compare structurally.
bool ScalarsEqual(const Scalar& a, const Scalar& b);

// A dotted path a.b.c through structs and string-keyed maps; each segment caches its index per shape.
class FieldPath {
 public:
  explicit FieldPath(std::vector<std::string> segments);
  const Value* Resolve(const Value& root);
  std::string ToString() const;

 private:
  std::vector<FieldSlot> segments_;
};

class Operand {
 public:
  enum class Source { kLiteral, kValueField, kKeyField, kKey, kTopic, kTimestamp, kPartition, kOffset, kHeader };

  static Operand Literal(Value v);
  static Operand Field(Source source, std::vector<std::string> path);  // kValueField / kKeyField
  static Operand Attribute(Source source, std::string header = {});    // kKey, kTopic, …, kHeader

  Scalar Resolve(const Record& record);
  bool is_literal() const { return source_ == Source::kLiteral; }
  const Value& literal() const { return literal_; }

 private:
  Source source_ = Source::kLiteral;
  Value literal_;
  std::optional<FieldPath> path_;
  std::string header_;
};

}  // namespace pipeline
