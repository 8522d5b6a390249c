// ReplaceField: keeps (`include`), drops (`exclude`) and renames (`renames`) top-level fields of the value or key,
// as Kafka Connect's ReplaceField. Field order follows the input. The output shape is computed once per input
// shape, so the per-record work is one copy of the kept values.
#include <algorithm>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "transforms/common/shape_cache.h"
#include "transforms/common/transform_errors.h"
#include "transforms/common/transform_registration.h"
#include "transforms/transforms.h"

namespace pipeline {
namespace {

struct ReplacePlan {
  FieldNamesPtr names;
  std::vector<size_t> sources;  // input index of each output field
  bool identity = false;        // nothing dropped or renamed: the record is left as it is
};

class ReplaceField final : public RecordTransform {
 public:
  ReplaceField(RecordPart part, std::unordered_set<std::string> include, std::unordered_set<std::string> exclude,
               std::unordered_map<std::string, std::string> renames)
      : part_(part), include_(std::move(include)), exclude_(std::move(exclude)), renames_(std::move(renames)) {}

  Result<bool> Apply(Record& record) override {
    Value& target = PartOf(record, part_);
    if (target.is_null()) return true;
    if (target.is_struct()) {
      const Struct& in = target.as_struct();
      const ReplacePlan& plan = plans_.Get(in.names, [&](const FieldNames& n) { return MakePlan(n); });
      if (plan.identity) return true;
      std::vector<Value> values;
      values.reserve(plan.sources.size());
      for (size_t source : plan.sources) values.push_back(in.values[source]);
      target = Value(Struct{plan.names, std::move(values)});
      return true;
    }
    if (target.is_map()) {
      Map out;
      for (const auto& [k, v] : target.as_map()) {
        std::string name = k.is_string() ? k.as_string() : k.ToString();
        if (!Keeps(name)) continue;
        auto renamed = renames_.find(name);
        out.emplace_back(renamed == renames_.end() ? k : Value(renamed->second), v);
      }
      target = Value(std::move(out));
      return true;
    }
    return NotAStructError("ReplaceField", part_, target);
  }

  // With include, only those fields of the value reach the output; otherwise everything may.
  FieldDemand Demand(const FieldDemand& downstream) const override {
    if (part_ != RecordPart::kValue) return downstream;
    if (include_.empty()) return FieldDemand::All();
    return FieldDemand::Of(std::vector<std::string>(include_.begin(), include_.end()));
  }

 private:
  bool Keeps(const std::string& name) const {
    return !exclude_.count(name) && (include_.empty() || include_.count(name));
  }

  ReplacePlan MakePlan(const FieldNames& in) const {
    ReplacePlan plan;
    std::vector<std::string> names;
    bool changed = false;
    for (size_t i = 0; i < in.names.size(); ++i) {
      const std::string& name = in.names[i];
      if (!Keeps(name)) {
        changed = true;
        continue;
      }
      auto renamed = renames_.find(name);
      if (renamed != renames_.end() && renamed->second != name) changed = true;
      names.push_back(renamed == renames_.end() ? name : renamed->second);
      plan.sources.push_back(i);
    }
    plan.identity = !changed;
    plan.names = MakeFieldNames(std::move(names));
    return plan;
  }

  RecordPart part_;
  std::unordered_set<std::string> include_, exclude_;
  std::unordered_map<std::string, std::string> renames_;
  ShapeCache<ReplacePlan> plans_;
};

ComponentSpec Spec(RecordPart part) {
  std::string p(PartName(part));
  ComponentSpec spec;
  spec.type = "ReplaceField";
  spec.summary = "Keep, drop or rename top-level fields of the record " + p + ".";
  spec.options = {
      {"include", OptionType::kStringList,
       "Fields to keep; all others are dropped. Empty keeps every field. A list or \"a,b,c\"."},
      {"exclude", OptionType::kStringList, "Fields to drop. Takes precedence over include."},
      {"renames", OptionType::kAny,
       "Field renames as \"old:new,old2:new2\" (Kafka Connect), a list of \"old:new\" strings, or a map {old: new}."},
      {"whitelist", OptionType::kStringList, "Deprecated Kafka Connect alias of include."},
      {"blacklist", OptionType::kStringList, "Deprecated Kafka Connect alias of exclude."},
  };
  spec.example =
      "transforms:\n  - type: ReplaceField\n    include: [userid, page, status]\n    renames: \"userid:user\"\n";
  return spec;
}

Result<std::unordered_map<std::string, std::string>> ParseRenames(const Options& options) {
  std::unordered_map<std::string, std::string> renames;
  YAML::Node node = options.Raw("renames");
  if (!node || node.IsNull()) return renames;
  if (node.IsMap()) {
    for (const auto& kv : node) renames[kv.first.Scalar()] = kv.second.Scalar();
    return renames;
  }
  if (!node.IsScalar() && !node.IsSequence())
    return options.ErrorAt("renames", "expected \"old:new,…\", a list of \"old:new\" or a map {old: new}");
  for (const std::string& item : options.GetStringList("renames")) {
    // A list item may itself hold several comma-separated pairs.
    size_t start = 0;
    while (start <= item.size()) {
      size_t comma = item.find(',', start);
      if (comma == std::string::npos) comma = item.size();
      std::string pair = item.substr(start, comma - start);
      start = comma + 1;
      pair.erase(0, pair.find_first_not_of(" \t"));
      pair.erase(pair.find_last_not_of(" \t") + 1);
      if (pair.empty()) continue;
      size_t colon = pair.find(':');
      if (colon == std::string::npos || colon == 0 || colon + 1 == pair.size())
        return options.ErrorAt("renames", "expected old:new, got \"" + pair + "\"");
      renames[pair.substr(0, colon)] = pair.substr(colon + 1);
    }
  }
  return renames;
}

std::unordered_set<std::string> NameSet(const Options& options, const char* option, const char* alias) {
  std::unordered_set<std::string> out;
  for (const char* name : {option, alias})
    for (auto& f : options.GetStringList(name)) out.insert(f);
  return out;
}

Result<std::unique_ptr<RecordTransform>> Build(const Options& options, const BuildContext&, RecordPart part) {
  auto renames = ParseRenames(options);
  if (!renames.ok()) return renames.error();
  auto include = NameSet(options, "include", "whitelist");
  auto exclude = NameSet(options, "exclude", "blacklist");
  if (include.empty() && exclude.empty() && renames->empty())
    return options.ErrorAt("include", "set include, exclude or renames");
  return std::unique_ptr<RecordTransform>(
      new ReplaceField(part, std::move(include), std::move(exclude), std::move(renames).value()));
}

}  // namespace

void RegisterReplaceField(Registry& registry) { AddKeyValueTransforms(registry, Spec, Build); }

}  // namespace pipeline
