// RegisterPostgresConnectors: the `postgres` sink (and query source), see README.md.
#include "connectors/connectors.h"
#include "connectors/postgres/postgres_spec.h"
#include "plugin/registry.h"

namespace pipeline {

void RegisterPostgresConnectors(Registry& registry) {
  registry.AddSource(postgres::PostgresQuerySourceSpec(), postgres::BuildPostgresQuerySource);
  registry.AddSink(postgres::PostgresSinkSpec(), postgres::BuildPostgresSink);
}

}  // namespace pipeline
