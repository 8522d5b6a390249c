#include "connectors/builtin.h"

#include "plugin/registry.h"

namespace pipeline {

void RegisterBuiltins(Registry& registry) {
  RegisterStdioConnectors(registry);
  RegisterFileConnectors(registry);
  RegisterGeneratorSource(registry);
  RegisterKafkaConnectors(registry);
  RegisterPostgresCdcSource(registry);
  RegisterTransforms(registry);
  RegisterSqlStage(registry);
}

Registry& RegistryForTests() {
  static Registry registry = [] {
    Registry r;
    RegisterBuiltins(r);
    return r;
  }();
  return registry;
}

const Registry& BuiltinRegistry() { return RegistryForTests(); }

}  // namespace pipeline
