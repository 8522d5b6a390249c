// Owning handles for librdkafka C objects, so that every early return releases what it created.
#pragma once

#include <librdkafka/rdkafka.h>

#include <memory>

namespace pipeline::kafka {

struct KafkaHandleDeleter {
  void operator()(rd_kafka_t* rk) const { rd_kafka_destroy(rk); }
  void operator()(rd_kafka_conf_t* conf) const { rd_kafka_conf_destroy(conf); }
  void operator()(rd_kafka_topic_partition_list_t* list) const { rd_kafka_topic_partition_list_destroy(list); }
  void operator()(rd_kafka_message_t* message) const { rd_kafka_message_destroy(message); }
  void operator()(rd_kafka_error_t* error) const { rd_kafka_error_destroy(error); }
  void operator()(rd_kafka_consumer_group_metadata_t* m) const { rd_kafka_consumer_group_metadata_destroy(m); }
  void operator()(rd_kafka_topic_t* rkt) const { rd_kafka_topic_destroy(rkt); }
  void operator()(rd_kafka_queue_t* q) const { rd_kafka_queue_destroy(q); }
  void operator()(rd_kafka_headers_t* h) const { rd_kafka_headers_destroy(h); }
};

using KafkaClient = std::unique_ptr<rd_kafka_t, KafkaHandleDeleter>;
using KafkaConf = std::unique_ptr<rd_kafka_conf_t, KafkaHandleDeleter>;
using PartitionList = std::unique_ptr<rd_kafka_topic_partition_list_t, KafkaHandleDeleter>;
using KafkaMessage = std::unique_ptr<rd_kafka_message_t, KafkaHandleDeleter>;
using KafkaError = std::unique_ptr<rd_kafka_error_t, KafkaHandleDeleter>;
using GroupMetadata = std::unique_ptr<rd_kafka_consumer_group_metadata_t, KafkaHandleDeleter>;
using TopicHandle = std::unique_ptr<rd_kafka_topic_t, KafkaHandleDeleter>;

// Makes an rd_kafka_poll(rk, timeout) waiting on another thread return now (or the next one, if none is waiting),
// so a delivery thread that checks a stop flag around its polls exits without sitting out its timeout.
inline void WakePoll(rd_kafka_t* rk) {
  std::unique_ptr<rd_kafka_queue_t, KafkaHandleDeleter> main_queue(rd_kafka_queue_get_main(rk));
  if (main_queue) rd_kafka_queue_yield(main_queue.get());
}

}  // namespace pipeline::kafka
