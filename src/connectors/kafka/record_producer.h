// RecordProducer: turns Records into produce calls (topic choice, key/value encoding, headers, timestamp).
// Shared by the at-least-once and the transactional sink; delivery tracking is theirs. Sink thread only.
#pragma once

#include <librdkafka/rdkafka.h>

#include <string>
#include <unordered_map>

#include "connectors/kafka/kafka_handles.h"
#include "connectors/kafka/kafka_sink_settings.h"
#include "core/record.h"

namespace pipeline::kafka {

class RecordProducer {
 public:
  RecordProducer(const KafkaSinkSettings& settings, rd_kafka_t* producer)
      : settings_(settings), producer_(producer) {}

  // Produces batch.records[first..] with `opaque` as every message's delivery-report opaque. On failure
  // *produced says how many were handed to librdkafka (they will get delivery reports; the rest will not).
  Status Produce(const Batch& batch, void* opaque, size_t* produced);

 private:
  Result<rd_kafka_topic_t*> TopicFor(const Record& record);
  Status ProduceOne(const Record& record, rd_kafka_topic_t* rkt, void* opaque);

  const KafkaSinkSettings& settings_;
  rd_kafka_t* producer_;
  std::unordered_map<std::string, TopicHandle> topics_;
  rd_kafka_topic_t* fixed_topic_ = nullptr;
  std::string key_buffer_;
  std::string value_buffer_;
};

}  // namespace pipeline::kafka
