#include "connectors/kafka/pipeline_expansion.h"

#include "connectors/kafka/client_config.h"
#include "connectors/kafka/scale_out_config.h"
#include "plugin/registry.h"
#include "plugin/scale_out.h"

namespace pipeline::kafka {

namespace {

std::string ProducerStreamName(const std::string& stream) { return stream + ".before_kafka"; }

config::ComponentConfig KafkaComponent(ComponentKind kind, const std::string& name, const std::string& bootstrap,
                                       const Location& location) {
  config::ComponentConfig c;
  c.name = name;
  c.type = "kafka";
  c.kind = kind;
  c.spec = BuiltinRegistry().FindSpec(kind, "kafka");
  c.location = location;
  c.node = YAML::Node(YAML::NodeType::Map);
  c.node["type"] = "kafka";
  c.node["bootstrap_servers"] = bootstrap;
  return c;
}

}  // namespace

void ExpandViaKafka(config::PipelineConfig& config, config::Diagnostics& diags) {
  const Registry& registry = BuiltinRegistry();
  std::vector<config::ComponentConfig> added_sources, added_sinks;
  auto expand = [&](config::ComponentConfig& c) {
    if (!c.via) return;
    if (c.kind == ComponentKind::kStage && c.type == "sql") {
      diags.Add(c.location,
                c.name + ": via: kafka is not supported on a sql stage; put it on a sink-side stream instead");
      return;
    }
    const config::ViaKafka& via = *c.via;
    std::string bootstrap = via.bootstrap_servers;
    if (bootstrap.empty()) {
      diags.Add(c.location, c.name + ": via: kafka needs bootstrap_servers "
                                     "(e.g. via: {type: kafka, bootstrap_servers: ${KAFKA_BOOTSTRAP}})");
      return;
    }
    std::string stream = c.name;
    c.name = ProducerStreamName(stream);

    config::ComponentConfig sink = KafkaComponent(ComponentKind::kSink, "via_kafka_" + stream, bootstrap, c.location);
    sink.inputs = {c.name};
    sink.input_locations = {c.location};
    sink.node["topic"] = via.topic;
    sink.node["create_topic"]["partitions"] = via.partitions;
    added_sinks.push_back(sink);

    config::ComponentConfig source = KafkaComponent(ComponentKind::kSource, stream, bootstrap, c.location);
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

void ExpandSqlScaleOut(config::PipelineConfig& config, config::Diagnostics& diags) {
  std::vector<config::ComponentConfig> added_sources, added_sinks;
  for (auto& c : config.stages) {
    if (c.type != "sql" || !c.node["scale_out"]) continue;
    auto parsed = ParseScaleOut(c.node["scale_out"], c.name);
    if (!parsed.ok()) {
      diags.Add(c.location, c.name + ": " + parsed.error().message());
      continue;
    }
    const ScaleOutConfig& scale_out = **parsed;
    // Keys and values are pipe's own encoding; the key alone picks the partition (murmur2, as Kafka's Java client).
    auto internal = [&](ComponentKind kind, const std::string& name) {
      config::ComponentConfig k = KafkaComponent(kind, name, scale_out.bootstrap_servers, c.location);
      k.node["key_format"] = "bytes";
      k.node["value_format"] = "bytes";
      YAML::Node properties(YAML::NodeType::Map);
      for (const auto& [key, value] : scale_out.properties)
        if (kind == ComponentKind::kSource || !IsConsumerOnlyProperty(key)) properties[key] = value;
      if (properties.size() > 0) k.node["properties"] = properties;
      return k;
    };
    config::ComponentConfig sink = internal(ComponentKind::kSink, c.name + ".repartition_writer");
    sink.inputs = {RepartitionOutput(c.name)};
    sink.input_locations = {c.location};
    sink.node["topic"] = scale_out.repartition_topic();
    sink.node["partitioner"] = "murmur2";
    added_sinks.push_back(std::move(sink));

    config::ComponentConfig source = internal(ComponentKind::kSource, RepartitionInput(c.name));
    source.node["topics"].push_back(scale_out.repartition_topic());
    source.node["group_id"] = scale_out.group_id;
    // Incremental rebalances move only the partitions that change owner: the others keep their task and state
    // (an eager rebalance takes every partition away, and each would be restored from the changelog again).
    if (!scale_out.properties.count("partition.assignment.strategy"))
      source.node["properties"]["partition.assignment.strategy"] = "cooperative-sticky";
    added_sources.push_back(std::move(source));
    c.inputs.push_back(RepartitionInput(c.name));
    c.input_locations.push_back(c.location);
  }
  for (auto& s : added_sources) config.sources.push_back(std::move(s));
  for (auto& s : added_sinks) config.sinks.push_back(std::move(s));
}

}  // namespace pipeline::kafka
