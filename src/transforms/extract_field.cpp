// ExtractField: replaces the value (or key) with one of its fields, as Kafka Connect's ExtractField. A missing
// field gives null; a null value stays null; anything but a struct or map is a DataError. With
// field.syntax.version v2 (KIP-821), dots in `field` walk into nested structs.
#include "transforms/common/field_slot.h"
#include "transforms/common/transform_errors.h"
#include "transforms/common/transform_registration.h"
#include "transforms/transforms.h"

namespace pipeline {
namespace {

class ExtractField final : public RecordTransform {
 public:
  ExtractField(RecordPart part, std::vector<std::string> path) : part_(part) {
    for (auto& segment : path) path_.emplace_back(std::move(segment));
  }

  Result<bool> Apply(Record& record) override {
    Value& target = PartOf(record, part_);
    if (target.is_null()) return true;
    if (!target.is_struct() && !target.is_map()) return NotAStructError("ExtractField", part_, target);
    const Value* v = &target;
    for (auto& segment : path_) {
      v = segment.FindIn(*v);
      if (!v) break;
    }
    Value extracted = v ? *v : Value();
    target = std::move(extracted);
    return true;
  }

 private:
  RecordPart part_;
  std::vector<FieldSlot> path_;
};

ComponentSpec Spec(RecordPart part) {
  std::string p(PartName(part));
  ComponentSpec spec;
  spec.type = "ExtractField";
  spec.summary = "Replace the record " + p + " with one of its fields (null when the field is absent).";
  spec.options = {
      {"field", OptionType::kString, "The field to extract.", "", true},
      {"field.syntax.version",
       OptionType::kEnum,
       "v1: `field` is one top-level name; v2: dots in `field` name nested fields (a.b.c).",
       "v1",
       false,
       {"v1", "v2"}},
  };
  spec.example = "transforms:\n  - type: ExtractField$Key\n    field: id\n";
  return spec;
}

Result<std::unique_ptr<RecordTransform>> Build(const Options& options, const BuildContext&, RecordPart part) {
  std::string field = options.GetString("field");
  if (field.empty()) return options.ErrorAt("field", "name the field to extract");
  std::vector<std::string> path;
  if (options.GetString("field.syntax.version") == "v2") {
    size_t start = 0;
    while (true) {
      size_t dot = field.find('.', start);
      path.push_back(field.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
      if (path.back().empty()) return options.ErrorAt("field", "empty segment in \"" + field + "\"");
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
  } else {
    path.push_back(field);
  }
  return std::unique_ptr<RecordTransform>(new ExtractField(part, std::move(path)));
}

}  // namespace

void RegisterExtractField(Registry& registry) { AddKeyValueTransforms(registry, Spec, Build); }

}  // namespace pipeline
