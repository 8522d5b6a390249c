#include "sql/exec/value_convert.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <type_traits>

#include "core/decimal.h"
#include "sql/functions/scalar/java_text.h"

namespace pipeline::sql {

namespace {

bool ParseInt64(const std::string& s, int64_t& out) {
  std::string t = s;
  while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back()))) t.pop_back();
  size_t b = 0;
  while (b < t.size() && std::isspace(static_cast<unsigned char>(t[b]))) ++b;
  t = t.substr(b);
  if (t.empty()) return false;
  char* end = nullptr;
  errno = 0;
  long long v = std::strtoll(t.c_str(), &end, 10);
  if (errno == ERANGE || *end != '\0') return false;
  out = v;
  return true;
}

bool ParseDouble(const std::string& s, double& out) {
  if (s.empty()) return false;
  char* end = nullptr;
  out = std::strtod(s.c_str(), &end);
  while (*end == ' ') ++end;
  return *end == '\0';
}

std::optional<bool> ParseBool(const std::string& s) {
  std::string l;
  for (char c : s) l += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (l == "true" || l == "t" || l == "yes" || l == "y") return true;
  if (l == "false" || l == "f" || l == "no" || l == "n") return false;
  return std::nullopt;
}

bool Base64Decode(const std::string& in, std::string& out) {
  static int8_t table[256];
  static bool init = [] {
    for (auto& t : table) t = -1;
    const char* a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (int i = 0; i < 64; ++i) table[static_cast<unsigned char>(a[i])] = static_cast<int8_t>(i);
    return true;
  }();
  (void)init;
  out.clear();
  int val = 0, bits = -8;
  for (unsigned char c : in) {
    if (c == '=') break;
    if (table[c] < 0) return false;
    val = (val << 6) + table[c];
    bits += 6;
    if (bits >= 0) {
      out.push_back(static_cast<char>((val >> bits) & 0xFF));
      bits -= 8;
    }
  }
  return true;
}

int64_t DoubleToInt64(double d) {
  if (std::isnan(d)) return 0;
  if (d >= 9.2233720368547758e18) return INT64_MAX;
  if (d <= -9.2233720368547758e18) return INT64_MIN;
  return static_cast<int64_t>(d);
}

int64_t DecimalToInt64(const Decimal& d) {
  __int128 v = d.unscaled / Pow10(d.scale);
  return static_cast<int64_t>(v);
}

// What Convert would copy unchanged: for these kinds of input its switch below ends in `out = in` (or the same
// value rebuilt: a BIGINT from an int, a DOUBLE from a double).
Value::Kind SameKind(TypeId id) {
  switch (id) {
    case TypeId::kBoolean: return Value::Kind::kBool;
    case TypeId::kBigInt: return Value::Kind::kInt;
    case TypeId::kDouble: return Value::Kind::kDouble;
    case TypeId::kString: return Value::Kind::kString;
    case TypeId::kBytes: return Value::Kind::kBytes;
    case TypeId::kDate: return Value::Kind::kDate;
    case TypeId::kTime: return Value::Kind::kTime;
    case TypeId::kTimestamp: return Value::Kind::kTimestamp;
    default: return Value::Kind::kNull;  // a null input converts to null either way
  }
}

}  // namespace

TypeConverter::TypeConverter(SqlType type) : type_(std::move(type)) {
  if (type_.id == TypeId::kStruct) {
    auto names = std::make_shared<FieldNames>();
    for (const auto& f : type_.fields) {
      names->names.push_back(f.name);
      children_.emplace_back(f.type ? *f.type : SqlType());
    }
    names_ = names;
  } else if ((type_.id == TypeId::kArray || type_.id == TypeId::kMap) && type_.element) {
    children_.emplace_back(*type_.element);
  }
  same_kind_ = SameKind(type_.id);
}

bool TypeConverter::Convert(const Value& in, Value& out) const {
  if (in.is_null()) {
    out = Value();
    return true;
  }
  switch (type_.id) {
    case TypeId::kUnknown: out = in; return true;
    case TypeId::kBoolean:
      if (in.is_bool()) { out = in; return true; }
      if (in.is_string()) {
        auto b = ParseBool(in.as_string());
        if (!b) return false;
        out = Value(*b);
        return true;
      }
      return false;
    case TypeId::kInt:
    case TypeId::kBigInt: {
      int64_t v;
      if (in.is_int()) v = in.as_int();
      else if (in.is_double()) v = DoubleToInt64(in.as_double());
      else if (in.is_decimal()) v = DecimalToInt64(in.as_decimal());
      else if (in.is_string()) { if (!ParseInt64(in.as_string(), v)) return false; }
      else return false;
      if (type_.id == TypeId::kInt && (v > INT32_MAX || v < INT32_MIN)) return false;
      out = Value(v);
      return true;
    }
    case TypeId::kDouble: {
      if (in.is_number()) { out = Value(in.ToDouble()); return true; }
      double d;
      if (in.is_string() && ParseDouble(in.as_string(), d)) { out = Value(d); return true; }
      return false;
    }
    case TypeId::kDecimal: {
      std::optional<Decimal> d;
      if (in.is_int()) d = DecimalFromInt(in.as_int());
      else if (in.is_decimal()) d = in.as_decimal();
      else if (in.is_double()) d = ParseDecimal(scalar::JavaDoubleString(in.as_double()));
      else if (in.is_string()) d = ParseDecimal(in.as_string());
      if (!d) return false;
      auto fit = FitDecimal(*d, type_.precision, type_.scale);
      if (!fit) return false;
      out = Value(*fit);
      return true;
    }
    case TypeId::kString:
      if (in.is_string()) out = in;
      else if (in.is_double()) out = Value(scalar::JavaDoubleString(in.as_double()));
      else out = Value(in.ToString());
      return true;
    case TypeId::kBytes: {
      if (in.is_bytes()) { out = in; return true; }
      if (!in.is_string()) return false;
      Bytes b;
      if (!Base64Decode(in.as_string(), b.data)) return false;
      out = Value(std::move(b));
      return true;
    }
    case TypeId::kDate:
      if (in.is_int()) { out = Value(Date{static_cast<int32_t>(in.as_int())}); return true; }
      if (in.is_string()) {
        auto d = ParseDate(in.as_string());
        if (!d) return false;
        out = Value(Date{*d});
        return true;
      }
      return in.kind() == Value::Kind::kDate ? (out = in, true) : false;
    case TypeId::kTime:
      if (in.is_int()) { out = Value(Time{in.as_int()}); return true; }
      if (in.is_string()) {
        auto t = ParseTime(in.as_string());
        if (!t) return false;
        out = Value(Time{*t});
        return true;
      }
      return in.kind() == Value::Kind::kTime ? (out = in, true) : false;
    case TypeId::kTimestamp:
      if (in.is_int()) { out = Value(Timestamp{in.as_int()}); return true; }
      if (in.is_string()) {
        auto t = ParseTimestamp(in.as_string());
        if (!t) return false;
        out = Value(Timestamp{*t});
        return true;
      }
      return in.kind() == Value::Kind::kTimestamp ? (out = in, true) : false;
    case TypeId::kArray: {
      if (!in.is_array()) return false;
      Array a;
      a.reserve(in.as_array().size());
      for (const auto& e : in.as_array()) {
        Value v;
        if (!children_[0].FromJson(e, v)) return false;
        a.push_back(std::move(v));
      }
      out = Value(std::move(a));
      return true;
    }
    case TypeId::kMap: {
      Map m;
      if (in.is_map()) {
        for (const auto& [k, v] : in.as_map()) {
          Value cv;
          if (!children_[0].FromJson(v, cv)) return false;
          m.emplace_back(k.is_string() ? k : Value(k.ToString()), std::move(cv));
        }
      } else if (in.is_struct()) {
        const Struct& s = in.as_struct();
        for (size_t i = 0; i < s.size(); ++i) {
          Value cv;
          if (!children_[0].FromJson(s.values[i], cv)) return false;
          m.emplace_back(Value(s.name(i)), std::move(cv));
        }
      } else {
        return false;
      }
      out = Value(std::move(m));
      return true;
    }
    case TypeId::kStruct: {
      if (in.is_struct()) return StructFrom(in.as_struct(), out);
      if (!in.is_map()) return false;
      Struct s;
      s.names = names_;
      s.values.resize(children_.size());
      for (const auto& [k, v] : in.as_map()) {
        if (!k.is_string()) continue;
        int idx = names_->IndexOfIgnoreCase(k.as_string());
        if (idx >= 0 && !children_[idx].FromJson(v, s.values[idx])) return false;
      }
      out = Value(std::move(s));
      return true;
    }
  }
  return false;
}

bool TypeConverter::FromJson(Value&& in, Value& out) const {
  switch (type_.id) {
    case TypeId::kUnknown:
      out = MoveOut(in);
      return true;
    case TypeId::kString:
      if (!in.is_string()) break;
      out = MoveOut(in);
      return true;
    case TypeId::kStruct:
      if (Struct* sole = in.SoleStruct()) {
        if (!ConvertInPlace(*sole)) return StructFrom(*sole, out);
        out = MoveOut(in);
        return true;
      }
      break;
    default:
      break;
  }
  return FromJson(static_cast<const Value&>(in), out);
}

// Objects of one shape share their FieldNames: the field mapping of the last shape is kept.
const std::vector<int>& TypeConverter::MappingFor(const FieldNamesPtr& shape) const {
  if (shape == last_shape_) return last_mapping_;
  last_mapping_.assign(children_.size(), -1);
  for (size_t i = 0; i < children_.size(); ++i) last_mapping_[i] = shape->IndexOfIgnoreCase(names_->names[i]);
  std::vector<int> used;
  for (int from : last_mapping_)
    if (from >= 0) used.push_back(from);
  std::sort(used.begin(), used.end());
  last_mapping_repeats_ = std::adjacent_find(used.begin(), used.end()) != used.end();
  last_shape_ = shape;
  return last_mapping_;
}

// A struct whose fields are this type's, in its order (the usual case: records of a declared schema), becomes
// this type where it is: its fields are converted one by one and its names replaced, with no new struct.
bool TypeConverter::ConvertInPlace(Struct& in) const {
  const std::vector<int>& mapping = MappingFor(in.names);
  if (in.values.size() != children_.size()) return false;
  for (size_t i = 0; i < mapping.size(); ++i)
    if (mapping[i] != static_cast<int>(i)) return false;
  for (size_t i = 0; i < children_.size(); ++i) {
    Value converted;
    if (!children_[i].FromJson(std::move(in.values[i]), converted)) return false;
    in.values[i] = std::move(converted);
  }
  in.names = names_;
  return true;
}

template <typename S>
bool TypeConverter::StructFrom(S& in, Value& out) const {
  const std::vector<int>& mapping = MappingFor(in.names);
  const bool take = !std::is_const_v<S> && !last_mapping_repeats_;
  Struct s;
  s.names = names_;
  s.values.resize(children_.size());
  for (size_t i = 0; i < children_.size(); ++i) {
    int from = mapping[i];
    if (from < 0) continue;
    auto& field = in.values[static_cast<size_t>(from)];
    bool ok = take ? children_[i].FromJson(std::move(field), s.values[i]) : children_[i].FromJson(field, s.values[i]);
    if (!ok) return false;
  }
  out = Value(std::move(s));
  return true;
}

}  // namespace pipeline::sql
