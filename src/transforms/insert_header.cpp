// InsertHeader: adds a header with a literal value to every record, as Kafka Connect's InsertHeader (added,
// not replaced: earlier headers of the same key stay).
#include "transforms/common/transform_registration.h"
#include "transforms/transforms.h"

namespace pipeline {
namespace {

class InsertHeader final : public RecordTransform {
 public:
  InsertHeader(std::string header, std::string value) : header_(std::move(header)), value_(std::move(value)) {}
  Result<bool> Apply(Record& record) override {
    record.headers.push_back(Header{header_, value_});
    return true;
  }

 private:
  std::string header_;
  std::string value_;
};

ComponentSpec Spec() {
  ComponentSpec spec;
  spec.type = "InsertHeader";
  spec.summary = "Add a header with a literal value to each record.";
  spec.options = {
      {"header", OptionType::kString, "Name of the header.", "", true},
      {"value.literal", OptionType::kString, "Value of the header.", "", true},
  };
  spec.example = "transforms:\n  - type: InsertHeader\n    header: source\n    value.literal: pipe\n";
  return spec;
}

Result<std::unique_ptr<RecordTransform>> Build(const Options& options, const BuildContext&) {
  std::string header = options.GetString("header");
  if (header.empty()) return options.ErrorAt("header", "name the header");
  if (!options.Has("value.literal")) return options.ErrorAt("value.literal", "give the header's value");
  return std::unique_ptr<RecordTransform>(new InsertHeader(std::move(header), options.GetString("value.literal")));
}

}  // namespace

void RegisterInsertHeader(Registry& registry) { AddPredicatedTransform(registry, Spec(), Build); }

}  // namespace pipeline
