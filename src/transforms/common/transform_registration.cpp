#include "transforms/common/transform_registration.h"

#include <utility>

#include "transforms/predicates/record_predicate.h"

namespace pipeline {
namespace {

// Applies `inner` only to records for which the predicate's result differs from `negate`.
class PredicatedTransform final : public RecordTransform {
 public:
  PredicatedTransform(std::unique_ptr<RecordPredicate> predicate, bool negate, std::unique_ptr<RecordTransform> inner)
      : predicate_(std::move(predicate)), negate_(negate), inner_(std::move(inner)) {}

  Result<bool> Apply(Record& record) override {
    if (predicate_->Test(record) == negate_) return true;
    return inner_->Apply(record);
  }

 private:
  std::unique_ptr<RecordPredicate> predicate_;
  bool negate_;
  std::unique_ptr<RecordTransform> inner_;
};

void AddPredicateOptions(ComponentSpec& spec) {
  spec.options.push_back(
      {"predicate", OptionType::kAny,
       "Apply this transform only to records matching the predicate (Kafka Connect KIP-585); other records pass "
       "through unchanged. Either a condition string such as \"status >= 400\" (grammar: Conditions, at the end "
       "of this reference), or an object "
       "{type: TopicNameMatches, pattern: REGEX} | {type: HasHeaderKey, name: HEADER} | {type: RecordIsTombstone}."});
  spec.options.push_back({"negate", OptionType::kBool,
                          "Invert the predicate: apply the transform to records that do NOT match it.", "false"});
}

}  // namespace

void AddPredicatedTransform(Registry& registry, ComponentSpec spec, TransformFactory factory) {
  spec.kind = ComponentKind::kTransform;
  AddPredicateOptions(spec);
  registry.AddTransform(
      std::move(spec),
      [factory = std::move(factory)](const Options& options,
                                     const BuildContext& context) -> Result<std::unique_ptr<RecordTransform>> {
        auto inner = factory(options, context);
        if (!inner.ok()) return inner.error();
        bool negate = options.GetBool("negate");
        if (!options.Has("predicate")) {
          if (negate)
            return options.ErrorAt("negate",
                                   "negate inverts `predicate`, which is not set (to invert a Filter "
                                   "condition, write it as not (…))");
          return std::move(inner).value();
        }
        auto predicate = BuildPredicate(options, "predicate");
        if (!predicate.ok()) return predicate.error();
        return std::unique_ptr<RecordTransform>(
            new PredicatedTransform(std::move(predicate).value(), negate, std::move(inner).value()));
      });
}

void AddKeyValueTransforms(Registry& registry, const PartSpecFn& spec, PartTransformFactory factory) {
  struct Variant {
    const char* suffix;
    RecordPart part;
  };
  for (Variant v :
       {Variant{"", RecordPart::kValue}, Variant{"$Value", RecordPart::kValue}, Variant{"$Key", RecordPart::kKey}}) {
    ComponentSpec s = spec(v.part);
    s.type += v.suffix;
    AddPredicatedTransform(registry, std::move(s), [factory, part = v.part](const Options& o, const BuildContext& c) {
      return factory(o, c, part);
    });
  }
}

std::string KindNameOf(const Value& v) { return std::string(Value::KindName(v.kind())); }

}  // namespace pipeline
