#include "plugin/registry.h"

#include <cstdio>
#include <cstdlib>

namespace pipeline {

void Registry::AddSource(ComponentSpec spec, SourceFactory f) {
  spec.kind = ComponentKind::kSource;
  std::string type = spec.type;
  sources_[type] = {std::move(spec), std::move(f)};
}
void Registry::AddSink(ComponentSpec spec, SinkFactory f) {
  spec.kind = ComponentKind::kSink;
  std::string type = spec.type;
  sinks_[type] = {std::move(spec), std::move(f)};
}
void Registry::AddTransform(ComponentSpec spec, TransformFactory f) {
  spec.kind = ComponentKind::kTransform;
  std::string type = spec.type;
  transforms_[type] = {std::move(spec), std::move(f)};
}
void Registry::AddStage(ComponentSpec spec, ProcessorFactory f) {
  spec.kind = ComponentKind::kStage;
  std::string type = spec.type;
  stages_[type] = {std::move(spec), std::move(f)};
}

namespace {
template <class M>
auto FindIn(const M& m, const std::string& type) -> decltype(&m.begin()->second) {
  auto it = m.find(type);
  return it == m.end() ? nullptr : &it->second;
}
template <class M>
void SpecsOf(const M& m, std::vector<const ComponentSpec*>& out) {
  for (const auto& [_, e] : m) out.push_back(&e.spec);
}
}  // namespace

const ComponentSpec* Registry::FindSpec(ComponentKind kind, const std::string& type) const {
  switch (kind) {
    case ComponentKind::kSource: { auto e = FindIn(sources_, type); return e ? &e->spec : nullptr; }
    case ComponentKind::kSink: { auto e = FindIn(sinks_, type); return e ? &e->spec : nullptr; }
    case ComponentKind::kTransform: { auto e = FindIn(transforms_, type); return e ? &e->spec : nullptr; }
    case ComponentKind::kStage: { auto e = FindIn(stages_, type); return e ? &e->spec : nullptr; }
  }
  return nullptr;
}

std::vector<const ComponentSpec*> Registry::Specs(ComponentKind kind) const {
  std::vector<const ComponentSpec*> out;
  switch (kind) {
    case ComponentKind::kSource: SpecsOf(sources_, out); break;
    case ComponentKind::kSink: SpecsOf(sinks_, out); break;
    case ComponentKind::kTransform: SpecsOf(transforms_, out); break;
    case ComponentKind::kStage: SpecsOf(stages_, out); break;
  }
  return out;
}

std::vector<std::string> Registry::TypeNames(ComponentKind kind) const {
  std::vector<std::string> out;
  for (const auto* s : Specs(kind)) out.push_back(s->type);
  return out;
}

const SourceFactory* Registry::FindSource(const std::string& type) const {
  auto e = FindIn(sources_, type);
  return e ? &e->factory : nullptr;
}
const SinkFactory* Registry::FindSink(const std::string& type) const {
  auto e = FindIn(sinks_, type);
  return e ? &e->factory : nullptr;
}
const TransformFactory* Registry::FindTransform(const std::string& type) const {
  auto e = FindIn(transforms_, type);
  return e ? &e->factory : nullptr;
}
const ProcessorFactory* Registry::FindStage(const std::string& type) const {
  auto e = FindIn(stages_, type);
  return e ? &e->factory : nullptr;
}

namespace {
void (*installed_registration)(Registry&) = nullptr;
}  // namespace

void SetBuiltinRegistration(void (*register_builtins)(Registry& registry)) {
  installed_registration = register_builtins;
}

Registry& RegistryForTests() {
  static Registry registry = [] {
    if (!installed_registration) {
      std::fputs("pipe: the built-in components were used before InstallBuiltins() (src/builtin.h)\n", stderr);
      std::abort();
    }
    Registry r;
    installed_registration(r);
    return r;
  }();
  return registry;
}

const Registry& BuiltinRegistry() { return RegistryForTests(); }

}  // namespace pipeline
