#include "connectors/kafka/kafka_sink.h"

#include <chrono>

#include "connectors/kafka/topic_admin.h"

namespace pipeline::kafka {

Result<KafkaClient> NewProducer(const KafkaSinkSettings& settings, void* opaque,
                                void (*on_delivery)(rd_kafka_t*, const rd_kafka_message_t*, void*),
                                void (*on_error)(rd_kafka_t*, int, const char*, void*)) {
  auto conf = BuildClientConf(ProducerProperties(settings));
  if (!conf.ok()) return conf.error();
  rd_kafka_conf_set_opaque(conf->get(), opaque);
  rd_kafka_conf_set_dr_msg_cb(conf->get(), on_delivery);
  if (on_error) rd_kafka_conf_set_error_cb(conf->get(), on_error);
  char errstr[512];
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf->get(), errstr, sizeof(errstr));
  if (!rk) return ConfigError("kafka sink '" + settings.name + "': " + errstr);
  static_cast<void>(conf->release());  // owned by rk now
  return KafkaClient(rk);
}

KafkaSink::~KafkaSink() { Close(); }

Status KafkaSink::Open(SinkContext& ctx) {
  outage_.Watch(ctx.health, settings_.bootstrap_servers);
  auto producer = NewProducer(settings_, this, &KafkaSink::OnDelivery, &KafkaSink::OnClientError);
  if (!producer.ok()) return producer.error();
  producer_ = std::move(*producer);
  if (settings_.create_topic) PIPE_RETURN_IF_ERROR(CreateTopic(producer_.get(), settings_));
  records_ = std::make_unique<RecordProducer>(settings_, producer_.get());
  delivery_thread_ = std::thread([this] {
    while (!stopping_.load()) {
      rd_kafka_poll(producer_.get(), 100);  // serves delivery reports and OnClientError, on this thread
      outage_.Ended(producer_.get());
    }
  });
  return {};
}

Status KafkaSink::Write(BatchPtr batch) {
  PIPE_RETURN_IF_ERROR(FailureStatus());
  if (!batch || batch->empty()) return {};  // nothing to deliver: dropping it acknowledges it
  int64_t count = static_cast<int64_t>(batch->size());
  // One extra count keeps the batch alive until every message has been handed over, even if reports race ahead.
  auto* flight = new InFlightBatch{this, std::move(batch), count + 1};
  {
    std::lock_guard lock(mu_);
    ++in_flight_batches_;
  }
  size_t produced = 0;
  Status s = records_->Produce(*flight->batch, flight, &produced);
  if (!s.ok()) flight->failed = true;
  Release(flight, count - static_cast<int64_t>(produced) + 1);
  if (!s.ok()) {
    std::lock_guard lock(mu_);
    if (failure_.empty()) failure_ = s.message();
  }
  return s;
}

void KafkaSink::OnClientError(rd_kafka_t*, int err, const char*, void* opaque) {
  auto* sink = static_cast<KafkaSink*>(opaque);
  // Other errors are logged by the client's log callback and, where they lose a message, by its delivery report.
  if (err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) sink->outage_.Began();
}

void KafkaSink::OnDelivery(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque) {
  auto* sink = static_cast<KafkaSink*>(opaque);
  auto* flight = static_cast<InFlightBatch*>(message->_private);
  if (message->err) {
    flight->failed = true;
    std::lock_guard lock(sink->mu_);
    if (sink->failure_.empty()) {
      sink->failure_ = "kafka sink '" + sink->settings_.name + "': delivery to " +
                       rd_kafka_topic_name(message->rkt) + " partition " + std::to_string(message->partition) +
                       " failed: " + rd_kafka_err2str(message->err);
      if (message->err == RD_KAFKA_RESP_ERR__MSG_TIMED_OUT)
        sink->failure_ += " (no broker acknowledged it within delivery_timeout, " +
                          std::to_string(sink->settings_.delivery_timeout_ms) +
                          " ms: is the partition's leader reachable?)";
    }
  }
  sink->Release(flight, 1);
}

void KafkaSink::Release(InFlightBatch* flight, int64_t count) {
  if (flight->remaining.fetch_sub(count) != count) return;
  std::lock_guard lock(mu_);
  // A failed batch stays referenced so its acknowledgement tokens never complete.
  if (flight->failed) undelivered_.push_back(std::move(flight->batch));
  delete flight;  // drops the BatchPtr: acknowledged
  if (--in_flight_batches_ == 0) all_delivered_.notify_all();
}

Status KafkaSink::FailureStatus() {
  std::lock_guard lock(mu_);
  if (failure_.empty()) return {};
  return FatalError(failure_);
}

Status KafkaSink::Flush() {
  if (!producer_) return {};
  auto timeout = std::chrono::milliseconds(settings_.delivery_timeout_ms + 5000);
  rd_kafka_flush(producer_.get(), static_cast<int>(timeout.count()));
  {
    std::unique_lock lock(mu_);
    // The last reports may still be running on the delivery thread after librdkafka's queue emptied.
    if (!all_delivered_.wait_for(lock, timeout, [&] { return in_flight_batches_ == 0 || !failure_.empty(); }))
      return RetryableError("kafka sink '" + settings_.name + "': deliveries did not complete within " +
                            std::to_string(timeout.count()) + " ms");
  }
  return FailureStatus();
}

void KafkaSink::Close() {
  if (!producer_) return;
  rd_kafka_flush(producer_.get(), 5000);
  // Whatever is still queued will not be delivered: fail it (its batches stay unacknowledged).
  rd_kafka_purge(producer_.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
  rd_kafka_flush(producer_.get(), 1000);
  stopping_ = true;
  WakePoll(producer_.get());  // the delivery thread would otherwise finish its 100 ms poll first
  if (delivery_thread_.joinable()) delivery_thread_.join();
  records_.reset();
  producer_.reset();
}

}  // namespace pipeline::kafka
