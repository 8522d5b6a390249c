#include "connectors/kafka/kafka_spec.h"

#include "connectors/kafka/kafka_format.h"
#include "plugin/options.h"

namespace pipeline::kafka {

namespace {

OptionSpec Bootstrap() {
  return {.name = "bootstrap_servers", .type = OptionType::kString,
          .description = "Comma-separated host:port list of brokers to bootstrap from.", .required = true};
}

OptionSpec Properties() {
  return {.name = "properties", .type = OptionType::kMap,
          .description = "librdkafka properties passed through as they are (security.protocol, sasl.*, ssl.*, "
                         "tuning); they override pipe's defaults. Values of keys containing password, secret or "
                         "jaas are never logged."};
}

OptionSpec Format(const std::string& name, const std::string& what, const std::string& default_value) {
  return {.name = name, .type = OptionType::kEnum, .description = "Format of the message " + what + ".",
          .default_value = default_value, .choices = KafkaFormatNames()};
}

}  // namespace

ComponentSpec KafkaSourceSpec() {
  ComponentSpec spec;
  spec.type = "kafka";
  spec.kind = ComponentKind::kSource;
  spec.summary = "Consumes Kafka topics in a consumer group; commits offsets only after every sink delivered.";
  spec.ends_by_itself = [](const Options& o) { return o.GetBool("stop_at_end"); };
  spec.options = {
      Bootstrap(),
      {.name = "topics", .type = OptionType::kStringList, .description = "Topics to consume (or topic_pattern)."},
      {.name = "topic_pattern", .type = OptionType::kString,
       .description = "Regular expression of topics to consume (RE2 syntax, anchored with ^ as librdkafka needs)."},
      {.name = "group_id", .type = OptionType::kString,
       .description = "Consumer group; processes with the same group split the partitions. Default: pipe-<name>."},
      {.name = "assignment", .type = OptionType::kEnum,
       .description = "group: join group_id and split partitions with the other members (rebalances). all: read "
                      "every partition of `topics` without joining (no rebalance wait; one process per group_id; "
                      "offsets are still committed under group_id) — batch jobs.",
       .default_value = "group", .choices = {"group", "all"}},
      {.name = "start", .type = OptionType::kEnum,
       .description = "Where a partition without a committed offset starts.", .default_value = "earliest",
       .choices = {"earliest", "latest", "timestamp"}},
      {.name = "start_timestamp", .type = OptionType::kInt,
       .description = "With start: timestamp, the first message time to read (ms since epoch)."},
      Format("key_format", "key", "KAFKA_STRING"),
      Format("value_format", "value", "json"),
      {.name = "stop_at_end", .type = OptionType::kBool,
       .description = "End once every assigned partition reached the end offset it had when it was assigned "
                      "(batch jobs, tests).",
       .default_value = "false"},
      {.name = "batch_size", .type = OptionType::kInt, .description = "Most messages per batch.",
       .default_value = "2000"},
      {.name = "on_decode_error", .type = OptionType::kEnum,
       .description = "Deprecated: the older name of on_error for this source. A message whose key or value does "
                      "not decode follows on_error: fail the pipeline, skip it, or dead_letter (an envelope with "
                      "the undecoded bytes in raw_base64 and the position <topic>/<partition>@<offset>); skipped "
                      "and dead-lettered ones count in pipe_kafka_decode_errors_total.",
       .choices = {"fail", "skip", "dead_letter"}, .deprecated_for = "on_error"},
      {.name = "rebalance_timeout", .type = OptionType::kDuration,
       .description = "On rebalance, how long to wait for in-flight batches to be delivered before giving "
                      "partitions up (undelivered ones are read again by the new owner).",
       .default_value = "30s"},
      Properties(),
  };
  spec.example = R"(sources:
  clicks:
    type: kafka
    bootstrap_servers: 127.0.0.1:9092
    topics: [clickstream]
    group_id: clicks-to-es
    value_format: json
    properties:
      session.timeout.ms: "10000"
)";
  return spec;
}

ComponentSpec KafkaSinkSpec() {
  ComponentSpec spec;
  spec.type = "kafka";
  spec.kind = ComponentKind::kSink;
  spec.summary = "Produces to Kafka; a batch is acknowledged once every message's delivery report succeeded.";
  spec.options = {
      Bootstrap(),
      {.name = "topic", .type = OptionType::kString,
       .description = "Fixed topic. Without it: the value field named by topic_field, else the record's topic "
                      "(as set by the source or by RegexRouter/TimestampRouter)."},
      {.name = "topic_field", .type = OptionType::kString,
       .description = "Value field (string) that names each record's topic."},
      Format("key_format", "key (from the record key)", "KAFKA_STRING"),
      Format("value_format", "value", "json"),
      {.name = "partitioner", .type = OptionType::kEnum,
       .description = "librdkafka partitioner; murmur2_random matches the Java client.",
       .default_value = "murmur2_random",
       .choices = {"murmur2_random", "murmur2", "consistent_random", "consistent", "random", "fnv1a",
                   "fnv1a_random"}},
      {.name = "compression", .type = OptionType::kEnum, .description = "Compression codec of produced batches.",
       .default_value = "lz4", .choices = {"none", "gzip", "snappy", "lz4", "zstd"}},
      {.name = "acks", .type = OptionType::kEnum, .description = "Broker acknowledgements per message.",
       .default_value = "all", .choices = {"all", "1", "0"}},
      {.name = "enable_idempotence", .type = OptionType::kBool,
       .description = "Idempotent producer: no duplicates or reordering from internal retries.",
       .default_value = "true"},
      {.name = "linger", .type = OptionType::kDuration, .description = "How long to wait to fill a batch.",
       .default_value = "5ms"},
      {.name = "batch_messages", .type = OptionType::kInt, .description = "Most messages per produce batch.",
       .default_value = "10000"},
      {.name = "batch_bytes", .type = OptionType::kInt, .description = "Most bytes per produce batch.",
       .default_value = "1000000"},
      {.name = "delivery_timeout", .type = OptionType::kDuration,
       .description = "A message not delivered within this time fails the pipeline.", .default_value = "2m"},
      {.name = "create_topic", .type = OptionType::kObject,
       .description = "Create the fixed topic at start through the Admin API if it is missing.",
       .fields = {{.name = "partitions", .type = OptionType::kInt, .description = "Partitions of the new topic.",
                   .required = true},
                  {.name = "replication_factor", .type = OptionType::kInt,
                   .description = "Replicas of each partition.", .required = true},
                  {.name = "timeout", .type = OptionType::kDuration,
                   .description = "How long to wait for the Admin API's answer.", .default_value = "10s"}}},
      {.name = "guarantee", .type = OptionType::kEnum,
       .description = "at_least_once, or exactly_once: Kafka-to-Kafka transactions that commit the source's "
                      "consumer offsets with the output.",
       .default_value = "at_least_once", .choices = {"at_least_once", "exactly_once"}},
      {.name = "transactional_id", .type = OptionType::kString,
       .description = "exactly_once: the producer's transactional.id, unique per running instance and stable "
                      "across its restarts. Default: pipe-<group>-<sink name>."},
      {.name = "transaction_source", .type = OptionType::kString,
       .description = "exactly_once: the kafka source whose offsets commit with each transaction. Default: the "
                      "sink's only input."},
      {.name = "transaction_max_records", .type = OptionType::kInt,
       .description = "exactly_once: commit a transaction at the latest after this many records.",
       .default_value = "50000"},
      Properties(),
  };
  spec.example = R"(sinks:
  out:
    type: kafka
    inputs: [clicks]
    bootstrap_servers: 127.0.0.1:9092
    topic: errors
    compression: lz4
)";
  return spec;
}

}  // namespace pipeline::kafka
