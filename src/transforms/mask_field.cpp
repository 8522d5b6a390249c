// MaskField: replaces the listed fields with a type-appropriate empty value (0, false, "", empty array/map,
// epoch) or with `replacement`, as Kafka Connect's MaskField. The shape does not change, so masked records keep
// the input's field names. Fields absent from a record are left absent.
#include <charconv>
#include <unordered_set>

#include "transforms/common/field_slot.h"
#include "transforms/common/transform_errors.h"
#include "transforms/common/transform_registration.h"
#include "transforms/transforms.h"

namespace pipeline {
namespace {

class MaskField final : public RecordTransform {
 public:
  MaskField(RecordPart part, std::vector<std::string> fields, std::optional<std::string> replacement)
      : part_(part), replacement_(std::move(replacement)) {
    for (auto& f : fields) slots_.emplace_back(std::move(f));
  }

  Result<bool> Apply(Record& record) override {
    Value& target = PartOf(record, part_);
    if (target.is_null()) return true;
    if (target.is_struct()) {
      const Struct& in = target.as_struct();
      Struct out{in.names, in.values};
      for (auto& slot : slots_) {
        int i = slot.IndexIn(in);
        if (i < 0) continue;
        auto masked = Mask(slot.name(), in.values[static_cast<size_t>(i)]);
        if (!masked.ok()) return masked.error();
        out.values[static_cast<size_t>(i)] = std::move(masked).value();
      }
      target = Value(std::move(out));
      return true;
    }
    if (target.is_map()) {
      Map out = target.as_map();
      for (auto& [k, v] : out) {
        if (!k.is_string()) continue;
        for (const auto& slot : slots_) {
          if (slot.name() != k.as_string()) continue;
          auto masked = Mask(slot.name(), v);
          if (!masked.ok()) return masked.error();
          v = std::move(masked).value();
        }
      }
      target = Value(std::move(out));
      return true;
    }
    return NotAStructError("MaskField", part_, target);
  }

 private:
  Result<Value> Mask(const std::string& field, const Value& v) const {
    using K = Value::Kind;
    if (v.is_null()) return v;
    if (!replacement_) {
      switch (v.kind()) {
        case K::kBool:
          return Value(false);
        case K::kInt:
          return Value(int64_t{0});
        case K::kDouble:
          return Value(0.0);
        case K::kDecimal:
          return Value(Decimal{0, v.as_decimal().precision, v.as_decimal().scale});
        case K::kString:
          return Value(std::string());
        case K::kBytes:
          return Value(Bytes{});
        case K::kDate:
          return Value(Date{0});
        case K::kTime:
          return Value(Time{0});
        case K::kTimestamp:
          return Value(Timestamp{0});
        case K::kArray:
          return Value(Array{});
        case K::kMap:
          return Value(Map{});
        default:
          return FieldError("MaskField", field, "cannot mask a " + KindNameOf(v));
      }
    }
    const std::string& r = *replacement_;
    const char* end = r.data() + r.size();
    switch (v.kind()) {
      case K::kString:
        return Value(r);
      case K::kInt: {
        int64_t n = 0;
        auto res = std::from_chars(r.data(), end, n);
        if (res.ec == std::errc() && res.ptr == end) return Value(n);
        break;
      }
      case K::kDouble:
      case K::kDecimal: {
        double d = 0;
        auto res = std::from_chars(r.data(), end, d);
        if (res.ec == std::errc() && res.ptr == end) return Value(d);
        break;
      }
      default:
        return FieldError("MaskField", field,
                          "a replacement can only mask string and number fields, this one is a " + KindNameOf(v));
    }
    return FieldError("MaskField", field, "replacement \"" + r + "\" is not a valid " + KindNameOf(v));
  }

  RecordPart part_;
  std::vector<FieldSlot> slots_;
  std::optional<std::string> replacement_;
};

ComponentSpec Spec(RecordPart part) {
  ComponentSpec spec;
  spec.type = "MaskField";
  spec.summary = "Mask fields of the record " + std::string(PartName(part)) +
                 " with an empty value of their type (0, false, \"\", empty array/map) or with `replacement`.";
  spec.options = {
      {"fields", OptionType::kStringList, "Fields to mask.", "", true},
      {"replacement", OptionType::kString,
       "Replacement for the masked values, converted to the field's type (string and number fields only). Without "
       "it, values become the empty value of their type."},
  };
  spec.example = "transforms:\n  - type: MaskField\n    fields: [ssn, card]\n    replacement: \"****\"\n";
  return spec;
}

Result<std::unique_ptr<RecordTransform>> Build(const Options& options, const BuildContext&, RecordPart part) {
  auto fields = options.GetStringList("fields");
  if (fields.empty()) return options.ErrorAt("fields", "list at least one field to mask");
  std::optional<std::string> replacement;
  if (options.Has("replacement")) replacement = options.GetString("replacement");
  return std::unique_ptr<RecordTransform>(new MaskField(part, std::move(fields), std::move(replacement)));
}

}  // namespace

void RegisterMaskField(Registry& registry) { AddKeyValueTransforms(registry, Spec, Build); }

}  // namespace pipeline
