// The `kafka` sink with guarantee: exactly_once (Kafka to Kafka). Records are produced inside a transaction
// together with the consumer offsets of the records they came from (send_offsets_to_transaction with the
// kafka source's group metadata, found through ConsumerDirectory). Batches are acknowledged only after the
// transaction committed; an abortable error aborts and produces the held batches again in a new transaction.
//
// Threading: sink thread, plus a thread that polls librdkafka for delivery reports.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "connectors/kafka/consumer_directory.h"
#include "connectors/kafka/kafka_handles.h"
#include "connectors/kafka/kafka_sink_settings.h"
#include "connectors/kafka/record_producer.h"
#include "plugin/sink.h"

namespace pipeline::kafka {

class TransactionalKafkaSink : public Sink {
 public:
  explicit TransactionalKafkaSink(KafkaSinkSettings settings);
  ~TransactionalKafkaSink() override;

  Status Open(SinkContext& ctx) override;
  Status Write(BatchPtr batch) override;
  Status Flush() override;  // commits the open transaction
  void Close() override;

 private:
  static void OnDelivery(rd_kafka_t* rk, const rd_kafka_message_t* message, void* opaque);
  Status Begin();
  Status ProduceHeld();
  Status CommitTransaction();
  Status SendOffsets();
  // The consumer offsets after the held records, per source partition the source still owns.
  CommitOffsets HeldOffsets() const;

  KafkaSinkSettings settings_;
  std::shared_ptr<ConsumerLink> link_;
  KafkaClient producer_;
  std::unique_ptr<RecordProducer> records_;
  std::thread delivery_thread_;
  std::atomic<bool> stopping_{false};
  bool in_transaction_ = false;
  std::vector<BatchPtr> held_;  // written in the open transaction; acknowledged when it commits
  int64_t held_records_ = 0;
  std::mutex mu_;
  std::string delivery_failure_;  // guarded by mu_; makes the commit abort and retry
};

}  // namespace pipeline::kafka
