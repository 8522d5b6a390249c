// Helpers for the transform unit tests: build a registered transform from YAML options, make records.
#pragma once

#include <doctest/doctest.h>
#include <yaml-cpp/yaml.h>

#include <memory>
#include <string>

#include "plugin/registry.h"
#include "transforms/transforms.h"

namespace pipeline::testing {

inline const Registry& TransformRegistry() {
  static const Registry registry = [] {
    Registry r;
    RegisterTransforms(r);
    return r;
  }();
  return registry;
}

// Builds the transform described by YAML such as "type: Filter\ncondition: status >= 400".
inline Result<std::unique_ptr<RecordTransform>> TryBuildTransform(const std::string& yaml) {
  YAML::Node node = YAML::Load(yaml);
  std::string type = node["type"].Scalar();
  const ComponentSpec* spec = TransformRegistry().FindSpec(ComponentKind::kTransform, type);
  const TransformFactory* factory = TransformRegistry().FindTransform(type);
  if (!spec || !factory) return ConfigError("no transform " + type);
  Options options(spec, node, "test.yaml");
  return (*factory)(options, BuildContext{});
}

inline std::unique_ptr<RecordTransform> BuildTransform(const std::string& yaml) {
  auto t = TryBuildTransform(yaml);
  if (!t.ok()) FAIL(t.error().message());
  return std::move(t).value();
}

inline Record RecordOf(Value value, std::string topic = "orders") {
  Record r;
  r.value = std::move(value);
  r.topic = std::move(topic);
  return r;
}

// Applies `t` to a copy of `r`; the record after the transform (records it dropped are reported by `kept`).
inline Record Applied(RecordTransform& t, Record r, bool* kept = nullptr) {
  auto result = t.Apply(r);
  if (!result.ok()) FAIL(result.error().message());
  if (kept) *kept = *result;
  return r;
}

// Field names of a struct value, "a,b,c".
inline std::string NamesOf(const Value& v) {
  std::string out;
  for (const auto& n : v.as_struct().names->names) out += (out.empty() ? "" : ",") + n;
  return out;
}

}  // namespace pipeline::testing
