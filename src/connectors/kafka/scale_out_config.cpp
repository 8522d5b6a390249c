#include "connectors/kafka/scale_out_config.h"

#include <algorithm>
#include <vector>

#include "core/suggest.h"

namespace pipeline::kafka {

Result<std::optional<ScaleOutConfig>> ParseScaleOut(const YAML::Node& node, const std::string& stage_name) {
  if (!node || node.IsNull()) return std::optional<ScaleOutConfig>();
  const std::string expected =
      "expected a mapping such as {bootstrap_servers: host:9092, topic_prefix: pipe-counts, group_id: counts, "
      "properties: {session.timeout.ms: '6000'}}";
  if (!node.IsMap()) return ConfigError("scale_out: " + expected);
  static const std::vector<std::string> known = {"bootstrap_servers", "topic_prefix", "group_id", "properties"};
  ScaleOutConfig config;
  for (const auto& entry : node) {
    std::string key = entry.first.as<std::string>();
    if (std::find(known.begin(), known.end(), key) == known.end())
      return ConfigError("scale_out: unknown key '" + key + "'" + DidYouMean(key, known) + "; " + expected);
    if (key == "properties") {
      if (!entry.second.IsMap())
        return ConfigError("scale_out.properties: expected a mapping of librdkafka properties");
      for (const auto& p : entry.second) config.properties[p.first.as<std::string>()] = p.second.as<std::string>();
      continue;
    }
    if (!entry.second.IsScalar()) return ConfigError("scale_out." + key + ": expected a string");
    std::string value = entry.second.as<std::string>();
    if (key == "bootstrap_servers") config.bootstrap_servers = value;
    else if (key == "topic_prefix") config.topic_prefix = value;
    else config.group_id = value;
  }
  if (config.bootstrap_servers.empty()) return ConfigError("scale_out.bootstrap_servers is required; " + expected);
  if (config.topic_prefix.empty()) config.topic_prefix = "pipe-" + stage_name;
  if (config.group_id.empty()) config.group_id = config.topic_prefix;
  return std::optional<ScaleOutConfig>(std::move(config));
}

}  // namespace pipeline::kafka
