// ValueToKey: sets the record key to a struct of the listed value fields, as Kafka Connect's ValueToKey.
// Absent fields are null in the key. The key's field names are built once, at setup.
#include "transforms/common/field_slot.h"
#include "transforms/common/shape_cache.h"
#include "transforms/common/transform_errors.h"
#include "transforms/common/transform_registration.h"
#include "transforms/transforms.h"

namespace pipeline {
namespace {

class ValueToKey final : public RecordTransform {
 public:
  explicit ValueToKey(std::vector<std::string> fields) : names_(MakeFieldNames(fields)) {
    for (auto& f : fields) slots_.emplace_back(std::move(f));
  }

  Result<bool> Apply(Record& record) override {
    if (!record.value.is_struct() && !record.value.is_map())
      return NotAStructError("ValueToKey", RecordPart::kValue, record.value);
    std::vector<Value> values;
    values.reserve(slots_.size());
    for (auto& slot : slots_) {
      const Value* v = slot.FindIn(record.value);
      values.push_back(v ? *v : Value());
    }
    record.key = Value(Struct{names_, std::move(values)});
    return true;
  }

 private:
  FieldNamesPtr names_;
  std::vector<FieldSlot> slots_;
};

ComponentSpec Spec() {
  ComponentSpec spec;
  spec.type = "ValueToKey";
  spec.summary = "Set the record key to a struct of fields copied from the value.";
  spec.options = {
      {"fields", OptionType::kStringList, "Value fields that make up the key, in key order.", "", true},
  };
  spec.example = "transforms:\n  - type: ValueToKey\n    fields: [userid]\n";
  return spec;
}

Result<std::unique_ptr<RecordTransform>> Build(const Options& options, const BuildContext&) {
  auto fields = options.GetStringList("fields");
  if (fields.empty()) return options.ErrorAt("fields", "list at least one field");
  return std::unique_ptr<RecordTransform>(new ValueToKey(std::move(fields)));
}

}  // namespace

void RegisterValueToKey(Registry& registry) { AddPredicatedTransform(registry, Spec(), Build); }

}  // namespace pipeline
