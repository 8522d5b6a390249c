#include "runtime/via_kafka.h"

#include "plugin/registry.h"

namespace pipeline {

namespace {

std::string ProducerStreamName(const std::string& stream) { return stream + ".before_kafka"; }

}  // namespace

void ExpandViaKafka(config::PipelineConfig& config, config::Diagnostics& diags) {
  const Registry& registry = BuiltinRegistry();
  std::vector<config::ComponentConfig> added_sources, added_sinks;
  auto expand = [&](config::ComponentConfig& c) {
    if (!c.via) return;
    if (c.kind == ComponentKind::kStage && c.type == "sql") {
      diags.Add(c.location, c.name + ": via: kafka is not supported on a sql stage; put it on a sink-side stream instead");
      return;
    }
    const config::ViaKafka& via = *c.via;
    std::string bootstrap = via.bootstrap_servers;
    if (bootstrap.empty()) {
      diags.Add(c.location, c.name + ": via: kafka needs bootstrap_servers (e.g. via: {type: kafka, bootstrap_servers: ${KAFKA_BOOTSTRAP}})");
      return;
    }
    std::string stream = c.name;
    c.name = ProducerStreamName(stream);

    config::ComponentConfig sink;
    sink.name = "via_kafka_" + stream;
    sink.type = "kafka";
    sink.kind = ComponentKind::kSink;
    sink.spec = registry.FindSpec(ComponentKind::kSink, "kafka");
    sink.location = c.location;
    sink.inputs = {c.name};
    sink.input_locations = {c.location};
    sink.node = YAML::Node(YAML::NodeType::Map);
    sink.node["type"] = "kafka";
    sink.node["bootstrap_servers"] = bootstrap;
    sink.node["topic"] = via.topic;
    sink.node["create_topic"]["partitions"] = via.partitions;
    added_sinks.push_back(sink);

    config::ComponentConfig source;
    source.name = stream;
    source.type = "kafka";
    source.kind = ComponentKind::kSource;
    source.spec = registry.FindSpec(ComponentKind::kSource, "kafka");
    source.location = c.location;
    source.node = YAML::Node(YAML::NodeType::Map);
    source.node["type"] = "kafka";
    source.node["bootstrap_servers"] = bootstrap;
    source.node["topics"].push_back(via.topic);
    source.node["group_id"] = "pipe-via-" + stream;
    added_sources.push_back(source);
    c.via.reset();
  };
  for (auto& c : config.sources) expand(c);
  for (auto& c : config.stages) expand(c);
  if (!registry.FindSpec(ComponentKind::kSource, "kafka") && !added_sources.empty()) {
    diags.errors.push_back(config.file + ": via: kafka needs the kafka connector, which this build lacks");
    return;
  }
  for (auto& s : added_sources) config.sources.push_back(std::move(s));
  for (auto& s : added_sinks) config.sinks.push_back(std::move(s));
}

}  // namespace pipeline
