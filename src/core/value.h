// Value: one typed datum of a record (null, boolean, int64, double, decimal, string, bytes, date, time,
// timestamp, array, map, struct). Composite values share immutable payloads, so copying a Value is cheap.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace pipeline {

class Value;

// Fixed-point decimal: unscaled * 10^-scale. precision is the declared DECIMAL(p, s) precision (0 = unknown).
struct Decimal {
  __int128 unscaled = 0;
  int32_t precision = 0;
  int32_t scale = 0;
  std::string ToString() const;
  double ToDouble() const;
  bool operator==(const Decimal& o) const;  // by numeric value, not by representation
};

struct Bytes {
  std::string data;
  bool operator==(const Bytes& o) const = default;
};
struct Date {  // days since 1970-01-01
  int32_t days = 0;
  bool operator==(const Date& o) const = default;
};
struct Time {  // milliseconds since midnight
  int64_t millis = 0;
  bool operator==(const Time& o) const = default;
};
struct Timestamp {  // milliseconds since the Unix epoch, UTC
  int64_t millis = 0;
  bool operator==(const Timestamp& o) const = default;
};

using Array = std::vector<Value>;
// Maps keep insertion order (JSON objects read as maps stay in file order); keys are usually strings.
using Map = std::vector<std::pair<Value, Value>>;

// Field names of a struct, shared by every record of the same shape so that records do not repeat them.
struct FieldNames {
  std::vector<std::string> names;
  int IndexOf(std::string_view name) const;                  // exact match, -1 if absent
  int IndexOfIgnoreCase(std::string_view name) const;        // SQL identifiers
};
using FieldNamesPtr = std::shared_ptr<const FieldNames>;

struct Struct {
  FieldNamesPtr names;
  std::vector<Value> values;

  size_t size() const;  // defined after Value: clang instantiates vector<Value>::size() here, Value incomplete
  const std::string& name(size_t i) const { return names->names[i]; }
  const Value* Find(std::string_view name) const;  // nullptr if absent
};

class Value {
 public:
  enum class Kind : uint8_t { kNull, kBool, kInt, kDouble, kDecimal, kString, kBytes, kDate, kTime, kTimestamp, kArray, kMap, kStruct };

  Value() = default;
  Value(std::nullptr_t) {}  // NOLINT
  Value(bool b) : data_(b) {}  // NOLINT
  Value(int v) : data_(int64_t{v}) {}  // NOLINT
  Value(int64_t v) : data_(v) {}  // NOLINT
  Value(double v) : data_(v) {}  // NOLINT
  Value(Decimal v) : data_(v) {}  // NOLINT
  Value(std::string v) : data_(std::move(v)) {}  // NOLINT
  Value(std::string_view v) : data_(std::string(v)) {}  // NOLINT
  Value(const char* v) : data_(std::string(v)) {}  // NOLINT
  Value(Bytes v) : data_(std::move(v)) {}  // NOLINT
  Value(Date v) : data_(v) {}  // NOLINT
  Value(Time v) : data_(v) {}  // NOLINT
  Value(Timestamp v) : data_(v) {}  // NOLINT
  Value(Array v) : data_(std::make_shared<const Array>(std::move(v))) {}  // NOLINT
  Value(Map v) : data_(std::make_shared<const Map>(std::move(v))) {}  // NOLINT
  Value(Struct v) : data_(std::make_shared<Struct>(std::move(v))) {}  // NOLINT

  Kind kind() const { return static_cast<Kind>(data_.index()); }
  bool is_null() const { return kind() == Kind::kNull; }
  bool is_bool() const { return kind() == Kind::kBool; }
  bool is_int() const { return kind() == Kind::kInt; }
  bool is_double() const { return kind() == Kind::kDouble; }
  bool is_decimal() const { return kind() == Kind::kDecimal; }
  bool is_number() const { return is_int() || is_double() || is_decimal(); }
  bool is_string() const { return kind() == Kind::kString; }
  bool is_bytes() const { return kind() == Kind::kBytes; }
  bool is_array() const { return kind() == Kind::kArray; }
  bool is_map() const { return kind() == Kind::kMap; }
  bool is_struct() const { return kind() == Kind::kStruct; }

  bool as_bool() const { return std::get<bool>(data_); }
  int64_t as_int() const { return std::get<int64_t>(data_); }
  double as_double() const { return std::get<double>(data_); }
  const Decimal& as_decimal() const { return std::get<Decimal>(data_); }
  const std::string& as_string() const { return std::get<std::string>(data_); }
  std::string& mutable_string() { return std::get<std::string>(data_); }
  const Bytes& as_bytes() const { return std::get<Bytes>(data_); }
  Date as_date() const { return std::get<Date>(data_); }
  Time as_time() const { return std::get<Time>(data_); }
  Timestamp as_timestamp() const { return std::get<Timestamp>(data_); }
  const Array& as_array() const { return *std::get<std::shared_ptr<const Array>>(data_); }
  const Map& as_map() const { return *std::get<std::shared_ptr<const Map>>(data_); }
  const Struct& as_struct() const { return *std::get<std::shared_ptr<Struct>>(data_); }
  // The struct to take apart when this Value is its only holder, else nullptr. No one else can see such a
  // struct, so whoever owns this Value may move fields out of it instead of copying them (values are otherwise
  // immutable: a struct that is shared is never changed).
  Struct* SoleStruct() {
    auto* held = std::get_if<std::shared_ptr<Struct>>(&data_);
    return held && *held && held->use_count() == 1 ? held->get() : nullptr;
  }

  // Any number as a double (int, double, decimal); 0 for anything else.
  double ToDouble() const;
  // Struct field or string-keyed map entry by name; nullptr if absent or not a struct/map.
  const Value* Field(std::string_view name) const;

  // Human/JSON-ish text: strings unquoted, composites as JSON.
  std::string ToString() const;
  static std::string_view KindName(Kind k);

  // Structural equality; numbers compare by value across int/double/decimal.
  bool operator==(const Value& o) const;
  bool operator!=(const Value& o) const { return !(*this == o); }

 private:
  std::variant<std::monostate, bool, int64_t, double, Decimal, std::string, Bytes, Date, Time, Timestamp,
               std::shared_ptr<const Array>, std::shared_ptr<const Map>, std::shared_ptr<Struct>>
      data_;
};

inline size_t Struct::size() const { return values.size(); }

// Moves the value out of `v` and leaves null there (a plain move would leave a struct Value without a struct).
inline Value MoveOut(Value& v) {
  Value taken = std::move(v);
  v = Value();
  return taken;
}

// Builds a Struct from (name, value) pairs; convenient in tests and small connectors.
Value MakeStruct(std::vector<std::pair<std::string, Value>> fields);

}  // namespace pipeline
