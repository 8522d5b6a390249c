#include "connectors/kafka/kafka_sink_settings.h"

#include <algorithm>

namespace pipeline::kafka {

namespace {

// The loader checked the keys and their types (create_topic is a typed object in the spec).
Result<std::optional<TopicCreation>> ParseTopicCreation(const Options& options) {
  if (!options.Has("create_topic")) return std::optional<TopicCreation>();
  Options creation = options.Object("create_topic");
  TopicCreation c;
  const int64_t partitions = creation.GetInt("partitions"), replicas = creation.GetInt("replication_factor");
  if (partitions > 1'000'000 || replicas > 1'000)
    return options.ErrorAt("create_topic", "partitions or replication_factor out of range");
  c.partitions = static_cast<int>(partitions);
  c.replication_factor = static_cast<int>(replicas);
  c.timeout_ms = creation.GetDurationMs("timeout");
  if (c.partitions < 1 || c.replication_factor < 1)
    return options.ErrorAt("create_topic", "partitions and replication_factor must be at least 1");
  return std::optional<TopicCreation>(c);
}

}  // namespace

Result<KafkaSinkSettings> ParseKafkaSinkSettings(const Options& options, const std::string& name,
                                                 const std::vector<std::string>& inputs) {
  KafkaSinkSettings s;
  s.name = name;
  s.bootstrap_servers = options.GetString("bootstrap_servers");
  if (s.bootstrap_servers.empty()) return options.ErrorAt("bootstrap_servers", "is required (host:port,...)");
  if (options.Has("topic")) s.topic = options.GetString("topic");
  if (options.Has("topic_field")) s.topic_field = options.GetString("topic_field");
  if (!s.topic.empty() && !s.topic_field.empty())
    return options.ErrorAt("topic_field", "give topic (fixed) or topic_field, not both");
  auto key_format = ParseKafkaFormat(options.GetString("key_format"));
  if (!key_format.ok()) return options.ErrorAt("key_format", key_format.error().message());
  s.key_format = *key_format;
  auto value_format = ParseKafkaFormat(options.GetString("value_format"));
  if (!value_format.ok()) return options.ErrorAt("value_format", value_format.error().message());
  s.value_format = *value_format;
  s.partitioner = options.GetString("partitioner");
  s.compression = options.GetString("compression");
  s.acks = options.GetString("acks");
  s.enable_idempotence = options.GetBool("enable_idempotence");
  s.linger_ms = options.GetDurationMs("linger");
  s.batch_messages = options.GetInt("batch_messages");
  s.batch_bytes = options.GetInt("batch_bytes");
  s.delivery_timeout_ms = options.GetDurationMs("delivery_timeout");
  auto creation = ParseTopicCreation(options);
  if (!creation.ok()) return creation.error();
  s.create_topic = *creation;
  if (s.create_topic && s.topic.empty())
    return options.ErrorAt("create_topic", "needs a fixed topic (topic: NAME)");
  s.exactly_once = options.GetString("guarantee") == "exactly_once";
  s.transaction_max_records = options.GetInt("transaction_max_records");
  if (options.Has("properties")) s.properties = options.GetMap("properties");
  if (Status checked = CheckUserProperties(options); !checked.ok()) return checked.error();
  if (s.exactly_once) {
    if (options.Has("transaction_source")) {
      s.transaction_source = options.GetString("transaction_source");
    } else if (inputs.size() == 1) {
      s.transaction_source = inputs[0];
    } else {
      return options.ErrorAt("guarantee", "exactly_once with several inputs needs transaction_source: the kafka "
                                          "source whose offsets commit with the output");
    }
    s.transactional_id = options.Has("transactional_id") ? options.GetString("transactional_id")
                                                         : "pipe-" + s.transaction_source + "-" + name;
    if (s.acks != "all" || !s.enable_idempotence)
      return options.ErrorAt("guarantee", "exactly_once needs acks: all and enable_idempotence: true");
  }
  return s;
}

ClientProperties ProducerProperties(const KafkaSinkSettings& s) {
  ClientProperties p = {
      {"bootstrap.servers", s.bootstrap_servers},
      {"client.id", "pipe-" + s.name},
      {"acks", s.acks},
      {"enable.idempotence", s.enable_idempotence ? "true" : "false"},
      {"compression.codec", s.compression},
      {"partitioner", s.partitioner},
      {"linger.ms", std::to_string(s.linger_ms)},
      {"batch.num.messages", std::to_string(s.batch_messages)},
      {"batch.size", std::to_string(s.batch_bytes)},
      {"message.timeout.ms", std::to_string(s.delivery_timeout_ms)},
      // Room for several source batches in flight; Write() waits when it is full.
      {"queue.buffering.max.messages", "1000000"},
      {"queue.buffering.max.kbytes", "1048576"},
      {"log.connection.close", "false"},
  };
  if (s.exactly_once) {
    p.emplace_back("transactional.id", s.transactional_id);
    // librdkafka requires message.timeout.ms <= transaction.timeout.ms.
    p.emplace_back("transaction.timeout.ms", std::to_string(std::max<int64_t>(60000, s.delivery_timeout_ms)));
  }
  AppendUserProperties(s.properties, p);
  return p;
}

}  // namespace pipeline::kafka
