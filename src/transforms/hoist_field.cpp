// HoistField: wraps the value (or key) in a struct with one field, as Kafka Connect's HoistField.
#include "transforms/common/shape_cache.h"
#include "transforms/common/transform_registration.h"
#include "transforms/transforms.h"

namespace pipeline {
namespace {

class HoistField final : public RecordTransform {
 public:
  HoistField(RecordPart part, std::string field) : part_(part), names_(MakeFieldNames({std::move(field)})) {}

  Result<bool> Apply(Record& record) override {
    Value& target = PartOf(record, part_);
    std::vector<Value> values(1);
    values[0] = std::move(target);
    target = Value(Struct{names_, std::move(values)});
    return true;
  }

 private:
  RecordPart part_;
  FieldNamesPtr names_;
};

ComponentSpec Spec(RecordPart part) {
  ComponentSpec spec;
  spec.type = "HoistField";
  spec.summary = "Wrap the record " + std::string(PartName(part)) + " in a struct with a single field.";
  spec.options = {{"field", OptionType::kString, "Name of the field that holds the original value.", "", true}};
  spec.example = "transforms:\n  - type: HoistField\n    field: line\n";
  return spec;
}

Result<std::unique_ptr<RecordTransform>> Build(const Options& options, const BuildContext&, RecordPart part) {
  std::string field = options.GetString("field");
  if (field.empty()) return options.ErrorAt("field", "name the field");
  return std::unique_ptr<RecordTransform>(new HoistField(part, std::move(field)));
}

}  // namespace

void RegisterHoistField(Registry& registry) { AddKeyValueTransforms(registry, Spec, Build); }

}  // namespace pipeline
