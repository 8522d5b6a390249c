// Each connector folder defines the Register function that adds its components to a Registry; src/builtin.cpp is
// the one list that calls them.
#pragma once

namespace pipeline {
class Registry;

void RegisterStdioConnectors(Registry& registry);  // connectors/stdio: stdin, stdout, blackhole
void RegisterFileConnectors(Registry& registry);   // connectors/file
void RegisterGeneratorSource(Registry& registry);  // connectors/generator
void RegisterKafkaConnectors(Registry& registry);  // connectors/kafka: source, sink, kafka:// dead letters
void RegisterPostgresCdcSource(Registry& registry);  // connectors/postgres_cdc
void RegisterHttpSink(Registry& registry);         // connectors/http: the http sink
void RegisterElasticsearchSink(Registry& registry);  // connectors/elasticsearch
void RegisterPostgresConnectors(Registry& registry);  // connectors/postgres: sink and query source
void RegisterSyslogSource(Registry& registry);       // connectors/syslog
void RegisterHttpSource(Registry& registry);         // connectors/http: the http source
void RegisterMysqlCdcSource(Registry& registry);     // connectors/mysql_cdc
void RegisterMysqlSink(Registry& registry);          // connectors/mysql: the sink

}  // namespace pipeline
