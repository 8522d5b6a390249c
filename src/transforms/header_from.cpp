// HeaderFrom: copies (or moves) fields of the value or key into record headers, as Kafka Connect's HeaderFrom.
// `fields` and `headers` pair up by position. With operation move, the fields are removed (output names cached
// per input shape).
#include "transforms/common/field_slot.h"
#include "transforms/common/header_text.h"
#include "transforms/common/shape_cache.h"
#include "transforms/common/transform_errors.h"
#include "transforms/common/transform_registration.h"
#include "transforms/transforms.h"

namespace pipeline {
namespace {

struct KeptFields {
  FieldNamesPtr names;
  std::vector<size_t> sources;
};

class HeaderFrom final : public RecordTransform {
 public:
  HeaderFrom(RecordPart part, std::vector<std::string> fields, std::vector<std::string> headers, bool move)
      : part_(part), headers_(std::move(headers)), move_(move) {
    for (auto& f : fields) slots_.emplace_back(std::move(f));
  }

  Result<bool> Apply(Record& record) override {
    Value& target = PartOf(record, part_);
    if (target.is_null()) return true;
    if (!target.is_struct() && !target.is_map()) return NotAStructError("HeaderFrom", part_, target);
    for (size_t i = 0; i < slots_.size(); ++i) {
      const Value* v = slots_[i].FindIn(target);
      record.headers.push_back(Header{headers_[i], v ? HeaderTextOf(*v) : std::nullopt});
    }
    if (!move_) return true;
    if (target.is_struct()) {
      const Struct& in = target.as_struct();
      const KeptFields& kept = kept_.Get(in.names, [&](const FieldNames& n) { return Keep(n); });
      std::vector<Value> values;
      values.reserve(kept.sources.size());
      for (size_t s : kept.sources) values.push_back(in.values[s]);
      target = Value(Struct{kept.names, std::move(values)});
    } else {
      Map out;
      for (const auto& [k, v] : target.as_map())
        if (!k.is_string() || !IsMoved(k.as_string())) out.emplace_back(k, v);
      target = Value(std::move(out));
    }
    return true;
  }

 private:
  bool IsMoved(const std::string& name) const {
    for (const auto& s : slots_)
      if (s.name() == name) return true;
    return false;
  }

  KeptFields Keep(const FieldNames& in) const {
    KeptFields kept;
    std::vector<std::string> names;
    for (size_t i = 0; i < in.names.size(); ++i) {
      if (IsMoved(in.names[i])) continue;
      names.push_back(in.names[i]);
      kept.sources.push_back(i);
    }
    kept.names = MakeFieldNames(std::move(names));
    return kept;
  }

  RecordPart part_;
  std::vector<FieldSlot> slots_;
  std::vector<std::string> headers_;
  bool move_;
  ShapeCache<KeptFields> kept_;
};

ComponentSpec Spec(RecordPart part) {
  std::string p(PartName(part));
  ComponentSpec spec;
  spec.type = "HeaderFrom";
  spec.summary = "Copy or move fields of the record " + p + " into record headers.";
  spec.options = {
      {"fields", OptionType::kStringList, "Fields of the " + p + " to copy into headers.", "", true},
      {"headers", OptionType::kStringList, "Header names, one per field, in the same order.", "", true},
      {"operation",
       OptionType::kEnum,
       "copy keeps the fields in the " + p + "; move removes them.",
       "",
       true,
       {"copy", "move"}},
  };
  spec.example =
      "transforms:\n  - type: HeaderFrom\n    fields: [trace_id]\n    headers: [x-trace-id]\n"
      "    operation: move\n";
  return spec;
}

Result<std::unique_ptr<RecordTransform>> Build(const Options& options, const BuildContext&, RecordPart part) {
  auto fields = options.GetStringList("fields");
  auto headers = options.GetStringList("headers");
  if (fields.empty()) return options.ErrorAt("fields", "list at least one field");
  if (fields.size() != headers.size())
    return options.ErrorAt("headers", "needs one header per field: " + std::to_string(fields.size()) + " fields, " +
                                          std::to_string(headers.size()) + " headers");
  std::string operation = options.GetString("operation");
  if (operation != "copy" && operation != "move")
    return options.ErrorAt("operation", "expected copy or move, got '" + operation + "'");
  return std::unique_ptr<RecordTransform>(
      new HeaderFrom(part, std::move(fields), std::move(headers), operation == "move"));
}

}  // namespace

void RegisterHeaderFrom(Registry& registry) { AddKeyValueTransforms(registry, Spec, Build); }

}  // namespace pipeline
