// Filter: drops records. As in Kafka Connect, a Filter with a `predicate` drops the records matching it (and
// without one drops every record). pipe adds `condition`, with Vector's meaning: KEEP the records for which the
// condition holds, drop the others. Both may be combined: then records matching the predicate are kept only
// if the condition holds.
#include "transforms/common/transform_registration.h"
#include "transforms/predicates/condition.h"
#include "transforms/transforms.h"

namespace pipeline {
namespace {

class DropAll final : public RecordTransform {
 public:
  Result<bool> Apply(Record&) override { return false; }
  FieldDemand Demand(const FieldDemand&) const override { return FieldDemand::None(); }
};

class KeepMatching final : public RecordTransform {
 public:
  explicit KeepMatching(Condition condition) : condition_(std::move(condition)) {}
  Result<bool> Apply(Record& record) override { return condition_.Matches(record); }
  FieldDemand Demand(const FieldDemand& downstream) const override {
    FieldDemand demand = downstream;
    demand.Merge(FieldDemand::Of(condition_.value_fields()));
    return demand;
  }

 private:
  Condition condition_;
};

ComponentSpec Spec() {
  ComponentSpec spec;
  spec.type = "Filter";
  spec.summary =
      "Drop records: with `condition`, keep only records for which it holds; with `predicate` (Kafka "
      "Connect), drop records matching the predicate; with neither, drop every record.";
  spec.options = {
      {"condition", OptionType::kString,
       "Keep records for which this condition holds, drop the others (e.g. \"status >= 400\", "
       "'level == \"error\" and message contains \"timeout\"'). Grammar: Conditions, at the end of this reference."},
  };
  spec.example = "transforms:\n  - type: Filter\n    condition: \"status >= 400\"\n";
  return spec;
}

Result<std::unique_ptr<RecordTransform>> Build(const Options& options, const BuildContext&) {
  if (!options.Has("condition")) return std::unique_ptr<RecordTransform>(new DropAll());
  auto condition = Condition::Parse(options.GetString("condition"));
  if (!condition.ok()) return options.ErrorAt("condition", condition.error().message());
  return std::unique_ptr<RecordTransform>(new KeepMatching(std::move(condition).value()));
}

}  // namespace

void RegisterFilter(Registry& registry) { AddPredicatedTransform(registry, Spec(), Build); }

}  // namespace pipeline
