// InsertField: adds record metadata (topic, partition, offset, timestamp) and a static string to the value or
// key, as Kafka Connect's org.apache.kafka.connect.transforms.InsertField. A field name ending in `!` is
// required (a record without that metadata is a DataError), `?` (the default) optional (null when absent).
#include <vector>

#include "transforms/common/shape_cache.h"
#include "transforms/common/transform_errors.h"
#include "transforms/common/transform_registration.h"
#include "transforms/transforms.h"

namespace pipeline {
namespace {

struct Insertion {
  enum class What { kTopic, kPartition, kOffset, kTimestamp, kStatic };
  What what;
  std::string name;
  bool required = false;
};

// Output names of one input shape: the input's names plus the inserted ones it lacks; slot of each insertion.
struct InsertPlan {
  FieldNamesPtr names;
  std::vector<size_t> slots;
};

class InsertField final : public RecordTransform {
 public:
  InsertField(RecordPart part, std::vector<Insertion> insertions, std::string static_value)
      : part_(part), insertions_(std::move(insertions)), static_value_(std::move(static_value)) {}

  Result<bool> Apply(Record& record) override {
    Value& target = PartOf(record, part_);
    if (target.is_null()) return true;  // tombstones pass through unchanged, as in Kafka Connect
    if (target.is_struct()) {
      const Struct& in = target.as_struct();
      const InsertPlan& plan = plans_.Get(in.names, [&](const FieldNames& n) { return MakePlan(n); });
      std::vector<Value> values;
      values.reserve(plan.names->names.size());
      values.assign(in.values.begin(), in.values.end());
      values.resize(plan.names->names.size());
      for (size_t i = 0; i < insertions_.size(); ++i) {
        auto v = ValueOf(insertions_[i], record);
        if (!v.ok()) return v.error();
        values[plan.slots[i]] = std::move(v).value();
      }
      target = Value(Struct{plan.names, std::move(values)});
      return true;
    }
    if (target.is_map()) {
      Map out = target.as_map();
      for (const auto& ins : insertions_) {
        auto v = ValueOf(ins, record);
        if (!v.ok()) return v.error();
        Value* existing = nullptr;
        for (auto& [k, val] : out)
          if (k.is_string() && k.as_string() == ins.name) existing = &val;
        if (existing)
          *existing = std::move(v).value();
        else
          out.emplace_back(Value(ins.name), std::move(v).value());
      }
      target = Value(std::move(out));
      return true;
    }
    return NotAStructError("InsertField", part_, target);
  }

 private:
  InsertPlan MakePlan(const FieldNames& in) const {
    InsertPlan plan;
    std::vector<std::string> names = in.names;
    for (const auto& ins : insertions_) {
      size_t slot = 0;
      while (slot < names.size() && names[slot] != ins.name) ++slot;
      if (slot == names.size()) names.push_back(ins.name);
      plan.slots.push_back(slot);
    }
    plan.names = MakeFieldNames(std::move(names));
    return plan;
  }

  Result<Value> ValueOf(const Insertion& ins, const Record& record) const {
    Value v;
    switch (ins.what) {
      case Insertion::What::kTopic:
        if (!record.topic.empty()) v = Value(record.topic);
        break;
      case Insertion::What::kPartition:
        if (record.partition >= 0) v = Value(int64_t{record.partition});
        break;
      case Insertion::What::kOffset:
        if (record.offset >= 0) v = Value(record.offset);
        break;
      case Insertion::What::kTimestamp:
        v = Value(Timestamp{record.timestamp});
        break;
      case Insertion::What::kStatic:
        v = Value(static_value_);
        break;
    }
    if (v.is_null() && ins.required)
      return FieldError("InsertField", ins.name, "required, but the record has no such metadata");
    return v;
  }

  RecordPart part_;
  std::vector<Insertion> insertions_;
  std::string static_value_;
  ShapeCache<InsertPlan> plans_;
};

ComponentSpec Spec(RecordPart part) {
  std::string p(PartName(part));
  ComponentSpec spec;
  spec.type = "InsertField";
  spec.summary =
      "Insert record metadata (topic, partition, offset, timestamp) and a static value as fields of the "
      "record " +
      p + ". Append `!` to a field name to require the metadata, `?` (default) to allow null.";
  spec.options = {
      {"topic.field", OptionType::kString, "Field name for the record's topic (stream name)."},
      {"partition.field", OptionType::kString, "Field name for the source partition (null when the source has none)."},
      {"offset.field", OptionType::kString, "Field name for the source offset (null when the source has none)."},
      {"timestamp.field", OptionType::kString, "Field name for the record timestamp (a TIMESTAMP)."},
      {"static.field", OptionType::kString, "Field name for the static value."},
      {"static.value", OptionType::kString, "Static string to insert as `static.field`."},
  };
  spec.example =
      "transforms:\n  - type: InsertField\n    topic.field: source_topic\n    static.field: dc\n"
      "    static.value: eu-west-1\n";
  return spec;
}

Result<std::unique_ptr<RecordTransform>> Build(const Options& options, const BuildContext&, RecordPart part) {
  std::vector<Insertion> insertions;
  using W = Insertion::What;
  for (auto [option, what] : {std::pair{"topic.field", W::kTopic}, std::pair{"partition.field", W::kPartition},
                              std::pair{"offset.field", W::kOffset}, std::pair{"timestamp.field", W::kTimestamp},
                              std::pair{"static.field", W::kStatic}}) {
    std::string name = options.GetString(option);
    if (name.empty()) continue;
    Insertion ins{what, name, false};
    if (name.back() == '!' || name.back() == '?') {
      ins.required = name.back() == '!';
      ins.name.pop_back();
    }
    if (ins.name.empty()) return options.ErrorAt(option, "empty field name");
    insertions.push_back(std::move(ins));
  }
  if (options.Has("static.value") != options.Has("static.field"))
    return options.ErrorAt(options.Has("static.field") ? "static.field" : "static.value",
                           "static.field and static.value go together");
  if (insertions.empty())
    return options.ErrorAt("topic.field",
                           "set at least one of topic.field, partition.field, offset.field, "
                           "timestamp.field, static.field");
  return std::unique_ptr<RecordTransform>(
      new InsertField(part, std::move(insertions), options.GetString("static.value")));
}

}  // namespace

void RegisterInsertField(Registry& registry) { AddKeyValueTransforms(registry, Spec, Build); }

}  // namespace pipeline
