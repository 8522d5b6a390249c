#include "connectors/kafka/topic_admin.h"

#include <memory>
#include <string>

namespace pipeline::kafka {

namespace {

struct AdminDeleter {
  void operator()(rd_kafka_NewTopic_t* t) const { rd_kafka_NewTopic_destroy(t); }
  void operator()(rd_kafka_AdminOptions_t* o) const { rd_kafka_AdminOptions_destroy(o); }
  void operator()(rd_kafka_queue_t* q) const { rd_kafka_queue_destroy(q); }
  void operator()(rd_kafka_event_t* e) const { rd_kafka_event_destroy(e); }
};

}  // namespace

Status CreateTopic(rd_kafka_t* client, const KafkaSinkSettings& settings) {
  const TopicCreation& c = *settings.create_topic;
  std::string prefix = "kafka sink '" + settings.name + "': create_topic " + settings.topic + ": ";
  char errstr[512];
  std::unique_ptr<rd_kafka_NewTopic_t, AdminDeleter> topic(rd_kafka_NewTopic_new(
      settings.topic.c_str(), c.partitions, c.replication_factor, errstr, sizeof(errstr)));
  if (!topic) return ConfigError(prefix + errstr);
  std::unique_ptr<rd_kafka_AdminOptions_t, AdminDeleter> options(
      rd_kafka_AdminOptions_new(client, RD_KAFKA_ADMIN_OP_CREATETOPICS));
  int timeout = static_cast<int>(c.timeout_ms);
  rd_kafka_AdminOptions_set_request_timeout(options.get(), timeout, errstr, sizeof(errstr));
  rd_kafka_AdminOptions_set_operation_timeout(options.get(), timeout, errstr, sizeof(errstr));
  std::unique_ptr<rd_kafka_queue_t, AdminDeleter> queue(rd_kafka_queue_new(client));
  rd_kafka_NewTopic_t* topics[] = {topic.get()};
  rd_kafka_CreateTopics(client, topics, 1, options.get(), queue.get());

  // The request timeout bounds the wait; a little slack lets librdkafka report the timeout itself.
  std::unique_ptr<rd_kafka_event_t, AdminDeleter> event(rd_kafka_queue_poll(queue.get(), timeout + 2000));
  std::string hint = " (create the topic beforehand, or remove create_topic)";
  // create_topic.timeout is the user's bound on creating the topic: past it, fail rather than retry.
  if (!event) return FatalError(prefix + "no answer from the Admin API within " + std::to_string(timeout) + " ms" + hint);
  if (rd_kafka_event_error(event.get())) {
    rd_kafka_resp_err_t err = rd_kafka_event_error(event.get());
    std::string why = rd_kafka_event_error_string(event.get());
    if (err == RD_KAFKA_RESP_ERR__TIMED_OUT) {
      why = "no answer from the Admin API within " + std::to_string(timeout) + " ms (" + why + ")";
      return FatalError(prefix + why + hint);
    }
    return RetryableError(prefix + why + hint);
  }
  const rd_kafka_CreateTopics_result_t* result = rd_kafka_event_CreateTopics_result(event.get());
  size_t count = 0;
  const rd_kafka_topic_result_t** results = rd_kafka_CreateTopics_result_topics(result, &count);
  for (size_t i = 0; i < count; ++i) {
    rd_kafka_resp_err_t err = rd_kafka_topic_result_error(results[i]);
    if (err == RD_KAFKA_RESP_ERR_NO_ERROR || err == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) continue;
    const char* message = rd_kafka_topic_result_error_string(results[i]);
    return ConfigError(prefix + (message ? message : rd_kafka_err2str(err)) + hint);
  }
  return {};
}

}  // namespace pipeline::kafka
