// The `postgres` connectors' specs and factories, registered by register.cpp.
#pragma once

#include <memory>

#include "plugin/registry.h"

namespace pipeline::postgres {

ComponentSpec PostgresSinkSpec();
Result<std::unique_ptr<Sink>> BuildPostgresSink(const Options& options, const BuildContext& ctx);
ComponentSpec PostgresQuerySourceSpec();
Result<std::unique_ptr<Source>> BuildPostgresQuerySource(const Options& options, const BuildContext& ctx);

}  // namespace pipeline::postgres
