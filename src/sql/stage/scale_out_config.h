// `scale_out:` on a `sql` transform: several pipe processes share its GROUP BY state through Kafka, as ksqlDB's
// persistent queries do. The runtime adds the internal topics' sink and source (runtime/via_kafka.cpp); the stage
// repartitions, keeps one task per repartition partition and saves each task's state to a changelog topic.
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <optional>
#include <string>

#include "core/result.h"

namespace pipeline::sql {

struct ScaleOutConfig {
  std::string bootstrap_servers;
  std::string topic_prefix;  // the internal topics: <prefix>-repartition, <prefix>-changelog
  std::string group_id;      // the consumer group of the repartition topic: the processes that share the work
  std::map<std::string, std::string> properties;  // librdkafka passthrough for the internal clients

  std::string repartition_topic() const { return topic_prefix + "-repartition"; }
  std::string changelog_topic() const { return topic_prefix + "-changelog"; }
  // The pipeline streams that carry the repartition records out of the stage and back into it.
  static std::string RepartitionOutput(const std::string& stage) { return stage + ".repartition"; }
  static std::string RepartitionInput(const std::string& stage) { return stage + ".repartitioned"; }
};

// The transform's `scale_out` mapping (nullopt without one); errors say which key and what is expected.
Result<std::optional<ScaleOutConfig>> ParseScaleOut(const YAML::Node& scale_out, const std::string& stage_name);

}  // namespace pipeline::sql
