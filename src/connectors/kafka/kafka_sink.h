// The `kafka` sink (at-least-once): produces every record and acknowledges a batch (drops its BatchPtr) only
// when the delivery reports of all its messages succeeded. A failed delivery keeps the batch unacknowledged
// and fails the pipeline at the next Write/Flush.
//
// Threading: Write/Flush/Close run on the sink thread; delivery reports run on the sink's delivery thread,
// which polls librdkafka so that acknowledgements flow even while the runtime does not call the sink.
#pragma once

#include <chrono>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "connectors/kafka/broker_outage.h"
#include "connectors/kafka/kafka_handles.h"
#include "connectors/kafka/kafka_sink_settings.h"
#include "connectors/kafka/record_producer.h"
#include "plugin/sink.h"

namespace pipeline::kafka {

class KafkaSink : public Sink {
 public:
  explicit KafkaSink(KafkaSinkSettings settings) : settings_(std::move(settings)) {}
  ~KafkaSink() override;

  Status Open(SinkContext& ctx) override;
  Status Write(BatchPtr batch) override;
  Status Flush() override;
  void Close() override;
  // JSON values are sent as the bytes they arrived in when unchanged (see RawValue); topic_field is read.
  FieldDemand Demand() const override {
    if (settings_.value_format != KafkaFormat::kJson) return FieldDemand::All();
    FieldDemand demand = FieldDemand::AllOrRaw("json");
    if (!settings_.topic_field.empty()) demand.Add(settings_.topic_field);
    return demand;
  }

 private:
  // One written batch whose messages await delivery reports.
  struct InFlightBatch {
    KafkaSink* sink;
    BatchPtr batch;
    std::atomic<int64_t> remaining;
    std::atomic<bool> failed{false};
  };
  static void OnDelivery(rd_kafka_t* rk, const rd_kafka_message_t* message, void* opaque);
  static void OnClientError(rd_kafka_t* rk, int err, const char* reason, void* opaque);
  void Release(InFlightBatch* flight, int64_t count);
  Status FailureStatus();

  KafkaSinkSettings settings_;
  KafkaClient producer_;
  std::unique_ptr<RecordProducer> records_;
  std::thread delivery_thread_;
  std::atomic<bool> stopping_{false};
  BrokerOutage outage_;  // /readyz while every broker is down; delivery thread only

  std::mutex mu_;
  std::condition_variable all_delivered_;
  int64_t in_flight_batches_ = 0;      // guarded by mu_
  std::string failure_;                // first delivery failure; guarded by mu_
  std::vector<BatchPtr> undelivered_;  // failed batches, held so they are never acknowledged; guarded by mu_
};

// Creates a producer handle from settings (shared with the transactional sink). `opaque` reaches callbacks.
Result<KafkaClient> NewProducer(const KafkaSinkSettings& settings, void* opaque,
                                void (*on_delivery)(rd_kafka_t*, const rd_kafka_message_t*, void*),
                                void (*on_error)(rd_kafka_t*, int, const char*, void*) = nullptr);

}  // namespace pipeline::kafka
