// `scale_out:` on a `sql` transform: several pipe processes share its GROUP BY and join state through Kafka, as
// ksqlDB's persistent queries do. The option is Kafka's own (brokers, topics, a consumer group), so it is parsed
// here; pipeline_expansion.h adds the internal topics' sink and source, kafka_scale_out.h gives the stage what it
// needs (plugin/scale_out.h) without the stage naming Kafka.
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <optional>
#include <string>

#include "core/result.h"

namespace pipeline::kafka {

struct ScaleOutConfig {
  std::string bootstrap_servers;
  std::string topic_prefix;  // the internal topics: <prefix>-repartition, <prefix>-changelog
  std::string group_id;      // the consumer group of the repartition topic: the processes that share the work
  std::map<std::string, std::string> properties;  // librdkafka passthrough for the internal clients

  std::string repartition_topic() const { return topic_prefix + "-repartition"; }
  std::string changelog_topic() const { return topic_prefix + "-changelog"; }
};

// The transform's `scale_out` mapping (nullopt without one); errors say which key and what is expected.
Result<std::optional<ScaleOutConfig>> ParseScaleOut(const YAML::Node& scale_out, const std::string& stage_name);

}  // namespace pipeline::kafka
