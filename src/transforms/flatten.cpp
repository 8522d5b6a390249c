// Flatten: flattens nested structs and maps into top-level fields whose names join the path with `delimiter`
// ("a.b.c"), as Kafka Connect's Flatten. Arrays are kept as they are. Output names are cached per nested shape
// (the sequence of FieldNames met while walking the record), so records of one shape share them; structs that
// hold maps get fresh names per record, since map keys vary.
#include <utility>

#include "transforms/common/shape_cache.h"
#include "transforms/common/transform_errors.h"
#include "transforms/common/transform_registration.h"
#include "transforms/transforms.h"

namespace pipeline {
namespace {

// Where the walk met each struct: its names and how many leaves preceded it (so that {a: null, b: S} and
// {a: S, b: null} with the same S differ).
using ShapeStep = std::pair<const FieldNames*, size_t>;

class Flatten final : public RecordTransform {
 public:
  Flatten(RecordPart part, std::string delimiter) : part_(part), delimiter_(std::move(delimiter)) {}

  Result<bool> Apply(Record& record) override {
    Value& target = PartOf(record, part_);
    if (target.is_null()) return true;
    if (target.is_map()) {
      Map out;
      FlattenMap(target.as_map(), "", out);
      target = Value(std::move(out));
      return true;
    }
    if (!target.is_struct()) return NotAStructError("Flatten", part_, target);
    const Struct& in = target.as_struct();
    std::vector<Value> values;
    values.reserve(in.size());
    shape_.clear();
    bool has_map = false;
    Walk(in, values, has_map);
    if (has_map || shape_ != cached_shape_) {
      std::vector<std::string> names;
      names.reserve(values.size());
      NameWalk(in, "", names);
      FieldNamesPtr built = MakeFieldNames(std::move(names));
      if (has_map) {
        target = Value(Struct{std::move(built), std::move(values)});
        return true;
      }
      cached_shape_ = shape_;
      cached_names_ = std::move(built);
      held_.clear();
      HoldShape(in);
    }
    target = Value(Struct{cached_names_, std::move(values)});
    return true;
  }

 private:
  void Walk(const Struct& s, std::vector<Value>& values, bool& has_map) {
    shape_.emplace_back(s.names.get(), values.size());
    for (const Value& v : s.values) {
      if (v.is_struct()) {
        Walk(v.as_struct(), values, has_map);
      } else if (v.is_map()) {
        has_map = true;
        Map flat;
        FlattenMap(v.as_map(), "", flat);
        for (auto& kv : flat) values.push_back(std::move(kv.second));
      } else {
        values.push_back(v);
      }
    }
  }

  std::string Join(const std::string& prefix, const std::string& name) const {
    return prefix.empty() ? name : prefix + delimiter_ + name;
  }

  void NameWalk(const Struct& s, const std::string& prefix, std::vector<std::string>& names) const {
    for (size_t i = 0; i < s.size(); ++i) {
      const Value& v = s.values[i];
      std::string name = Join(prefix, s.name(i));
      if (v.is_struct()) {
        NameWalk(v.as_struct(), name, names);
      } else if (v.is_map()) {
        Map flat;
        FlattenMap(v.as_map(), name, flat);
        for (auto& kv : flat) names.push_back(kv.first.as_string());
      } else {
        names.push_back(std::move(name));
      }
    }
  }

  void FlattenMap(const Map& m, const std::string& prefix, Map& out) const {
    for (const auto& [k, v] : m) {
      std::string name = Join(prefix, k.is_string() ? k.as_string() : k.ToString());
      if (v.is_map()) {
        FlattenMap(v.as_map(), name, out);
      } else if (v.is_struct()) {
        const Struct& s = v.as_struct();
        Map inner;
        for (size_t i = 0; i < s.size(); ++i) inner.emplace_back(Value(s.name(i)), s.values[i]);
        FlattenMap(inner, name, out);
      } else {
        out.emplace_back(Value(std::move(name)), v);
      }
    }
  }

  // Keeps the cached shape's FieldNames alive so their addresses cannot be reused by another shape.
  void HoldShape(const Struct& s) {
    held_.push_back(s.names);
    for (const Value& v : s.values)
      if (v.is_struct()) HoldShape(v.as_struct());
  }

  RecordPart part_;
  std::string delimiter_;
  std::vector<ShapeStep> shape_;  // scratch, reused between records
  std::vector<ShapeStep> cached_shape_;
  std::vector<FieldNamesPtr> held_;
  FieldNamesPtr cached_names_;
};

ComponentSpec Spec(RecordPart part) {
  ComponentSpec spec;
  spec.type = "Flatten";
  spec.summary = "Flatten nested structs and maps of the record " + std::string(PartName(part)) +
                 " into top-level fields named by their path (arrays are kept).";
  spec.options = {{"delimiter", OptionType::kString, "Separator between the names of a path.", "."}};
  spec.example = "transforms:\n  - type: Flatten\n    delimiter: \"_\"\n";
  return spec;
}

Result<std::unique_ptr<RecordTransform>> Build(const Options& options, const BuildContext&, RecordPart part) {
  return std::unique_ptr<RecordTransform>(new Flatten(part, options.GetString("delimiter")));
}

}  // namespace

void RegisterFlatten(Registry& registry) { AddKeyValueTransforms(registry, Spec, Build); }

}  // namespace pipeline
