// The one list of what pipe has built in, as DuckDB's function_list.cpp: every connector, transform and stage is
// registered here by the Register function of its folder, and every rewrite of pipeline-level keys a connector
// owns is listed here. Adding a connector is one line below. This file and main.cpp are the only ones that may
// include any folder (src/README.md, "Layers"); the layers below reach the list only through what InstallBuiltins
// installs, so none of them links to this file.
#include "builtin.h"

#include "connectors/connectors.h"
#include "connectors/kafka/kafka_scale_out.h"
#include "connectors/kafka/pipeline_expansion.h"
#include "plugin/registry.h"
#include "runtime/pipeline_rewrites.h"
#include "sql/stage/sql_stage.h"
#include "transforms/transforms.h"

namespace pipeline {

namespace {

void RegisterBuiltins(Registry& registry) {
  RegisterStdioConnectors(registry);
  RegisterFileConnectors(registry);
  RegisterGeneratorSource(registry);
  RegisterKafkaConnectors(registry);
  RegisterPostgresCdcSource(registry);
  RegisterHttpSink(registry);
  RegisterElasticsearchSink(registry);
  RegisterPostgresConnectors(registry);
  RegisterSyslogSource(registry);
  RegisterHttpSource(registry);
  RegisterMysqlCdcSource(registry);
  RegisterMysqlSink(registry);
  RegisterTransforms(registry);
  // `scale_out:` shares a stage's state between processes through Kafka (a consumer group, a changelog topic).
  RegisterSqlStage(registry, kafka::MakeKafkaScaleOut);
}

}  // namespace

void InstallBuiltins() {
  SetBuiltinRegistration(RegisterBuiltins);
  SetBuiltinPipelineRewrites({
      kafka::ExpandViaKafka,     // `via: kafka` on a source or stage
      kafka::ExpandSqlScaleOut,  // the repartition topic's sink and source of a `sql` stage with `scale_out:`
  });
}

}  // namespace pipeline
