#include "core/value.h"

#include <algorithm>
#include <cmath>
#include <strings.h>

#include "core/decimal.h"
#include "core/json_text.h"

namespace pipeline {

std::string Decimal::ToString() const {
  bool negative = unscaled < 0;
  unsigned __int128 u = negative ? -static_cast<unsigned __int128>(unscaled) : unscaled;
  std::string digits;
  do {
    digits.push_back(static_cast<char>('0' + static_cast<int>(u % 10)));
    u /= 10;
  } while (u != 0);
  while (static_cast<int>(digits.size()) <= scale) digits.push_back('0');
  std::reverse(digits.begin(), digits.end());
  if (scale > 0) digits.insert(digits.end() - scale, '.');
  return negative ? "-" + digits : digits;
}

double Decimal::ToDouble() const { return static_cast<double>(unscaled) / std::pow(10.0, scale); }

bool Decimal::operator==(const Decimal& o) const { return CompareDecimal(*this, o) == 0; }

int FieldNames::IndexOf(std::string_view name) const {
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return static_cast<int>(i);
  return -1;
}

int FieldNames::IndexOfIgnoreCase(std::string_view name) const {
  for (size_t i = 0; i < names.size(); ++i)
    if (names[i].size() == name.size() && strncasecmp(names[i].data(), name.data(), name.size()) == 0)
      return static_cast<int>(i);
  return -1;
}

const Value* Struct::Find(std::string_view name) const {
  if (!names) return nullptr;
  int i = names->IndexOf(name);
  return i < 0 ? nullptr : &values[static_cast<size_t>(i)];
}

double Value::ToDouble() const {
  switch (kind()) {
    case Kind::kInt: return static_cast<double>(as_int());
    case Kind::kDouble: return as_double();
    case Kind::kDecimal: return as_decimal().ToDouble();
    default: return 0;
  }
}

const Value* Value::Field(std::string_view name) const {
  if (is_struct()) return as_struct().Find(name);
  if (is_map()) {
    for (const auto& [k, v] : as_map())
      if (k.is_string() && k.as_string() == name) return &v;
  }
  return nullptr;
}

std::string Value::ToString() const {
  if (is_string()) return as_string();
  return ToJson(*this);
}

std::string_view Value::KindName(Kind k) {
  static constexpr std::string_view kNames[] = {"null", "boolean", "int", "double", "decimal", "string", "bytes",
                                                "date", "time", "timestamp", "array", "map", "struct"};
  return kNames[static_cast<size_t>(k)];
}

bool Value::operator==(const Value& o) const {
  if (is_number() && o.is_number()) {
    if (is_int() && o.is_int()) return as_int() == o.as_int();
    if (is_decimal() && o.is_decimal()) return as_decimal() == o.as_decimal();
    return ToDouble() == o.ToDouble();
  }
  if (kind() != o.kind()) return false;
  switch (kind()) {
    case Kind::kNull: return true;
    case Kind::kBool: return as_bool() == o.as_bool();
    case Kind::kString: return as_string() == o.as_string();
    case Kind::kBytes: return as_bytes() == o.as_bytes();
    case Kind::kDate: return as_date() == o.as_date();
    case Kind::kTime: return as_time() == o.as_time();
    case Kind::kTimestamp: return as_timestamp() == o.as_timestamp();
    case Kind::kArray: return as_array() == o.as_array();
    case Kind::kMap: return as_map() == o.as_map();
    case Kind::kStruct: {
      const Struct& a = as_struct();
      const Struct& b = o.as_struct();
      if (a.size() != b.size()) return false;
      for (size_t i = 0; i < a.size(); ++i)
        if (a.name(i) != b.name(i) || a.values[i] != b.values[i]) return false;
      return true;
    }
    default: return false;
  }
}

Value MakeStruct(std::vector<std::pair<std::string, Value>> fields) {
  auto names = std::make_shared<FieldNames>();
  Struct s;
  names->names.reserve(fields.size());
  s.values.reserve(fields.size());
  for (auto& [n, v] : fields) {
    names->names.push_back(std::move(n));
    s.values.push_back(std::move(v));
  }
  s.names = std::move(names);
  return Value(std::move(s));
}

}  // namespace pipeline
