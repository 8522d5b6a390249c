#include "connectors/kafka/client_config.h"

#include <algorithm>
#include <cctype>

namespace pipeline::kafka {

bool IsSecretProperty(const std::string& key) {
  std::string lower = key;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const char* word : {"password", "secret", "jaas", "token", "credentials"})
    if (lower.find(word) != std::string::npos) return true;
  return false;
}

bool IsConsumerOnlyProperty(const std::string& key) {
  for (const char* prefix : {"session.timeout", "heartbeat.", "group.", "partition.assignment", "max.poll", "auto.",
                             "enable.auto", "fetch.", "isolation.level", "queued.", "check.crcs", "coordinator."})
    if (key.rfind(prefix, 0) == 0) return true;
  return false;
}

std::string DescribeProperty(const std::string& key, const std::string& value) {
  return key + "=" + (IsSecretProperty(key) ? std::string("<redacted>") : value);
}

Result<KafkaConf> BuildClientConf(const ClientProperties& properties) {
  KafkaConf conf(rd_kafka_conf_new());
  char errstr[512];
  for (const auto& [key, value] : properties) {
    if (rd_kafka_conf_set(conf.get(), key.c_str(), value.c_str(), errstr, sizeof(errstr)) == RD_KAFKA_CONF_OK)
      continue;
    // librdkafka's reason may quote the value, so a secret gets a message of our own.
    if (IsSecretProperty(key))
      return ConfigError("kafka property '" + key + "' was rejected by librdkafka (value not shown: secret)");
    return ConfigError("kafka property '" + DescribeProperty(key, value) + "': " + errstr);
  }
  return conf;
}

void AppendUserProperties(const std::map<std::string, std::string>& user, ClientProperties& properties) {
  for (const auto& [key, value] : user) properties.emplace_back(key, value);
}

std::string KafkaErrorText(rd_kafka_resp_err_t err) { return rd_kafka_err2str(err); }

}  // namespace pipeline::kafka
