// Cast: casts fields (spec "field:type,…") or the whole value (spec "type") to int8, int16, int32, int64,
// float32, float64, boolean or string, as Kafka Connect's Cast. Numbers narrow like Java's casts (wrap around);
// strings are parsed and must fit the type. Shape is unchanged, so names are shared with the input.
#include <charconv>
#include <cmath>
#include <limits>

#include "transforms/common/field_slot.h"
#include "transforms/common/transform_errors.h"
#include "transforms/common/transform_registration.h"
#include "transforms/transforms.h"

namespace pipeline {
namespace {

enum class CastType { kInt8, kInt16, kInt32, kInt64, kFloat32, kFloat64, kBoolean, kString };

std::optional<CastType> ParseCastType(const std::string& name) {
  static const std::pair<const char*, CastType> kTypes[] = {
      {"int8", CastType::kInt8},       {"int16", CastType::kInt16},     {"int32", CastType::kInt32},
      {"int64", CastType::kInt64},     {"float32", CastType::kFloat32}, {"float64", CastType::kFloat64},
      {"boolean", CastType::kBoolean}, {"string", CastType::kString}};
  for (const auto& [n, t] : kTypes)
    if (name == n) return t;
  return std::nullopt;
}

const char* CastTypeName(CastType t) {
  static const char* kNames[] = {"int8", "int16", "int32", "int64", "float32", "float64", "boolean", "string"};
  return kNames[static_cast<int>(t)];
}

int64_t Narrow(int64_t v, CastType t) {
  switch (t) {
    case CastType::kInt8:
      return static_cast<int8_t>(v);
    case CastType::kInt16:
      return static_cast<int16_t>(v);
    case CastType::kInt32:
      return static_cast<int32_t>(v);
    default:
      return v;
  }
}

std::pair<int64_t, int64_t> RangeOf(CastType t) {
  switch (t) {
    case CastType::kInt8:
      return {INT8_MIN, INT8_MAX};
    case CastType::kInt16:
      return {INT16_MIN, INT16_MAX};
    case CastType::kInt32:
      return {INT32_MIN, INT32_MAX};
    default:
      return {INT64_MIN, INT64_MAX};
  }
}

// Java's double -> long conversion: truncates toward zero, saturates, NaN is 0.
int64_t JavaDoubleToLong(double d) {
  if (d != d) return 0;
  if (d >= 9.2233720368547758e18) return std::numeric_limits<int64_t>::max();
  if (d <= -9.2233720368547758e18) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(d);
}

// Casts one value; the error text says what went wrong (the caller adds transform and field).
Result<Value> CastValue(const Value& v, CastType to) {
  using K = Value::Kind;
  if (v.is_null()) return v;
  if (to == CastType::kString) return Value(v.is_string() ? v.as_string() : v.ToString());
  auto fail = [&](const std::string& why) -> Error {
    return DataError("cannot cast " + KindNameOf(v) + " " + v.ToString() + " to " + CastTypeName(to) + why);
  };
  bool integral = to == CastType::kInt8 || to == CastType::kInt16 || to == CastType::kInt32 || to == CastType::kInt64;
  switch (v.kind()) {
    case K::kBool:
      if (to == CastType::kBoolean) return v;
      if (integral) return Value(int64_t{v.as_bool() ? 1 : 0});
      return Value(v.as_bool() ? 1.0 : 0.0);
    case K::kInt:
    case K::kDouble:
    case K::kDecimal:
    case K::kDate:
    case K::kTime:
    case K::kTimestamp: {
      bool is_int = v.kind() != K::kDouble && v.kind() != K::kDecimal;
      int64_t i = 0;
      if (v.kind() == K::kInt)
        i = v.as_int();
      else if (v.kind() == K::kDate)
        i = v.as_date().days;
      else if (v.kind() == K::kTime)
        i = v.as_time().millis;
      else if (v.kind() == K::kTimestamp)
        i = v.as_timestamp().millis;
      double d = is_int ? static_cast<double>(i) : v.ToDouble();
      if (to == CastType::kBoolean) return Value(is_int ? i != 0 : d != 0);
      if (integral) return Value(Narrow(is_int ? i : JavaDoubleToLong(d), to));
      if (to == CastType::kFloat32) return Value(static_cast<double>(static_cast<float>(d)));
      return Value(d);
    }
    case K::kString: {
      const std::string& s = v.as_string();
      const char* end = s.data() + s.size();
      if (to == CastType::kBoolean) {  // Java Boolean.parseBoolean: "true" in any case, anything else false
        bool t = s.size() == 4 && (s[0] | 32) == 't' && (s[1] | 32) == 'r' && (s[2] | 32) == 'u' && (s[3] | 32) == 'e';
        return Value(t);
      }
      if (integral) {
        int64_t n = 0;
        const char* begin = s.data() + (!s.empty() && s[0] == '+' ? 1 : 0);
        auto r = std::from_chars(begin, end, n);
        if (r.ec == std::errc::result_out_of_range) return fail(": out of range");
        if (r.ec != std::errc() || r.ptr != end || s.empty()) return fail(": not an integer");
        auto [lo, hi] = RangeOf(to);
        if (n < lo || n > hi) return fail(": out of range");
        return Value(n);
      }
      double d = 0;
      auto r = std::from_chars(s.data(), end, d);
      if (r.ec != std::errc() || r.ptr != end || s.empty()) return fail(": not a number");
      if (to == CastType::kFloat32) d = static_cast<double>(static_cast<float>(d));
      return Value(d);
    }
    default:
      return fail(": only string casts are supported for " + KindNameOf(v));
  }
}

struct FieldCast {
  FieldSlot slot;
  CastType type;
};

class Cast final : public RecordTransform {
 public:
  Cast(RecordPart part, std::optional<CastType> whole, std::vector<FieldCast> fields)
      : part_(part), whole_(whole), fields_(std::move(fields)) {}

  Result<bool> Apply(Record& record) override {
    Value& target = PartOf(record, part_);
    if (whole_) {
      auto cast = CastValue(target, *whole_);
      if (!cast.ok()) return DataError("Cast: record " + std::string(PartName(part_)) + ": " + cast.error().message());
      target = std::move(cast).value();
      return true;
    }
    if (target.is_null()) return true;
    if (target.is_struct()) {
      const Struct& in = target.as_struct();
      Struct out{in.names, in.values};
      for (auto& f : fields_) {
        int i = f.slot.IndexIn(in);
        if (i < 0) continue;
        auto cast = CastValue(in.values[static_cast<size_t>(i)], f.type);
        if (!cast.ok()) return FieldError("Cast", f.slot.name(), cast.error().message());
        out.values[static_cast<size_t>(i)] = std::move(cast).value();
      }
      target = Value(std::move(out));
      return true;
    }
    if (target.is_map()) {
      Map out = target.as_map();
      for (auto& [k, v] : out) {
        if (!k.is_string()) continue;
        for (const auto& f : fields_) {
          if (f.slot.name() != k.as_string()) continue;
          auto cast = CastValue(v, f.type);
          if (!cast.ok()) return FieldError("Cast", f.slot.name(), cast.error().message());
          v = std::move(cast).value();
        }
      }
      target = Value(std::move(out));
      return true;
    }
    return NotAStructError("Cast", part_, target);
  }

 private:
  RecordPart part_;
  std::optional<CastType> whole_;
  std::vector<FieldCast> fields_;
};

ComponentSpec Spec(RecordPart part) {
  ComponentSpec spec;
  spec.type = "Cast";
  spec.summary = "Cast fields of the record " + std::string(PartName(part)) + " (or the whole " +
                 std::string(PartName(part)) + ") to int8, int16, int32, int64, float32, float64, boolean or string.";
  spec.options = {
      {"spec", OptionType::kStringList,
       "\"field:type,field2:type\" (or a list of \"field:type\") to cast fields, or a single \"type\" to cast the "
       "whole value. Types: int8, int16, int32, int64, float32, float64, boolean, string.",
       "", true},
  };
  spec.example = "transforms:\n  - type: Cast\n    spec: \"status:int32,latency:float64\"\n";
  return spec;
}

Result<std::unique_ptr<RecordTransform>> Build(const Options& options, const BuildContext&, RecordPart part) {
  auto items = options.GetStringList("spec");
  const char* kTypes = " (types: int8, int16, int32, int64, float32, float64, boolean, string)";
  if (items.empty()) return options.ErrorAt("spec", "empty spec");
  if (items.size() == 1 && items[0].find(':') == std::string::npos) {
    auto type = ParseCastType(items[0]);
    if (!type) return options.ErrorAt("spec", "unknown type '" + items[0] + "'" + kTypes);
    return std::unique_ptr<RecordTransform>(new Cast(part, type, {}));
  }
  std::vector<FieldCast> fields;
  for (const auto& item : items) {
    size_t colon = item.rfind(':');
    if (colon == std::string::npos || colon == 0)
      return options.ErrorAt("spec", "expected field:type, got \"" + item + "\"");
    auto type = ParseCastType(item.substr(colon + 1));
    if (!type) return options.ErrorAt("spec", "unknown type '" + item.substr(colon + 1) + "'" + kTypes);
    fields.push_back({FieldSlot(item.substr(0, colon)), *type});
  }
  return std::unique_ptr<RecordTransform>(new Cast(part, std::nullopt, std::move(fields)));
}

}  // namespace

void RegisterCast(Registry& registry) { AddKeyValueTransforms(registry, Spec, Build); }

}  // namespace pipeline
