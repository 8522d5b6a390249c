// The kafka sink's settings, parsed once from its Options, and the producer properties derived from them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "connectors/kafka/client_config.h"
#include "connectors/kafka/kafka_format.h"
#include "plugin/options.h"

namespace pipeline::kafka {

struct TopicCreation {
  int32_t partitions = 1;
  int32_t replication_factor = 1;
  int64_t timeout_ms = 10000;
};

struct KafkaSinkSettings {
  std::string name;
  std::string bootstrap_servers;
  std::string topic;        // fixed topic, or empty
  std::string topic_field;  // value field naming the topic, or empty (then Record::topic)
  KafkaFormat key_format = KafkaFormat::kString;
  KafkaFormat value_format = KafkaFormat::kJson;
  std::string partitioner = "murmur2_random";
  std::string compression = "lz4";
  std::string acks = "all";
  bool enable_idempotence = true;
  int64_t linger_ms = 5;
  int64_t batch_messages = 10000;
  int64_t batch_bytes = 1000000;
  int64_t delivery_timeout_ms = 120000;
  std::optional<TopicCreation> create_topic;
  bool exactly_once = false;
  std::string transactional_id;
  std::string transaction_source;  // the kafka source whose offsets go into each transaction
  int64_t transaction_max_records = 50000;
  std::map<std::string, std::string> properties;
};

// inputs: the sink's input streams (the default transaction_source is the only one).
Result<KafkaSinkSettings> ParseKafkaSinkSettings(const Options& options, const std::string& name,
                                                 const std::vector<std::string>& inputs);

ClientProperties ProducerProperties(const KafkaSinkSettings& settings);

}  // namespace pipeline::kafka
