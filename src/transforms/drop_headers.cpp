// DropHeaders: removes every header whose key is listed, as Kafka Connect's DropHeaders.
#include <algorithm>

#include "transforms/common/transform_registration.h"
#include "transforms/transforms.h"

namespace pipeline {
namespace {

class DropHeaders final : public RecordTransform {
 public:
  explicit DropHeaders(std::vector<std::string> headers) : headers_(std::move(headers)) {}
  Result<bool> Apply(Record& record) override {
    auto dropped = [&](const Header& h) {
      return std::find(headers_.begin(), headers_.end(), h.key) != headers_.end();
    };
    record.headers.erase(std::remove_if(record.headers.begin(), record.headers.end(), dropped), record.headers.end());
    return true;
  }

 private:
  std::vector<std::string> headers_;
};

ComponentSpec Spec() {
  ComponentSpec spec;
  spec.type = "DropHeaders";
  spec.summary = "Remove the headers with the given names.";
  spec.options = {{"headers", OptionType::kStringList, "Names of the headers to remove.", "", true}};
  spec.example = "transforms:\n  - type: DropHeaders\n    headers: [x-debug]\n";
  return spec;
}

Result<std::unique_ptr<RecordTransform>> Build(const Options& options, const BuildContext&) {
  auto headers = options.GetStringList("headers");
  if (headers.empty()) return options.ErrorAt("headers", "list at least one header");
  return std::unique_ptr<RecordTransform>(new DropHeaders(std::move(headers)));
}

}  // namespace

void RegisterDropHeaders(Registry& registry) { AddPredicatedTransform(registry, Spec(), Build); }

}  // namespace pipeline
