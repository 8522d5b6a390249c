// The one list of built-in components (see builtin.cpp).
#pragma once

namespace pipeline {
class Registry;
void RegisterBuiltins(Registry& registry);

// Each connector folder defines its own Register function.
void RegisterStdioConnectors(Registry& registry);      // connectors/stdio
void RegisterFileConnectors(Registry& registry);       // connectors/file
void RegisterGeneratorSource(Registry& registry);      // connectors/generator
void RegisterKafkaConnectors(Registry& registry);      // connectors/kafka
void RegisterPostgresCdcSource(Registry& registry);    // connectors/postgres_cdc
void RegisterTransforms(Registry& registry);           // transforms/
void RegisterSqlStage(Registry& registry);             // sql/
}  // namespace pipeline
