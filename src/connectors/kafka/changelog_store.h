// A Kafka changelog topic as the store of a `sql` stage's per-partition state (scale-out): partition p of the
// topic holds the snapshots of task p, so the process that takes partition p over restores p's state from it, as
// Kafka Streams restores a task's stores from their changelog topics.
//
// A snapshot is one or more messages (chunks of at most 512 KiB, under the brokers' default message size limit)
// keyed "<stage>/<task kind>/<chunk index>" with headers naming the snapshot and its chunk count; with a compacted topic the
// latest chunk of each index survives, and a restore takes the last snapshot whose chunks are all there. The
// producer is idempotent with acks=all: Write returns once every chunk is on the brokers.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "connectors/kafka/kafka_handles.h"
#include "plugin/snapshot_store.h"

namespace pipeline::kafka {

class SnapshotAssembly;

struct ChangelogSettings {
  std::string stage;  // the transform's name: the message keys' prefix
  std::string bootstrap_servers;
  std::string topic;
  std::map<std::string, std::string> properties;  // librdkafka passthrough (security settings)
};

class ChangelogStore final : public SnapshotStore {
 public:
  static Result<std::unique_ptr<ChangelogStore>> Open(ChangelogSettings settings);
  ~ChangelogStore() override;

  std::string Describe(const TaskId& task) const override;
  Result<std::optional<std::string>> Load(const TaskId& task) override;
  Status Write(const Snapshot& snapshot) override;

 private:
  explicit ChangelogStore(ChangelogSettings settings) : settings_(std::move(settings)) {}
  static void OnDelivery(rd_kafka_t* rk, const rd_kafka_message_t* message, void* opaque);
  Status Produce(const TaskId& task, const std::string& bytes);
  std::string KeyPrefix(const TaskId& task) const { return settings_.stage + "/" + task.kind + "/"; }
  // The consumer restores read with, made on the first Load and kept: a process taking over many partitions
  // restores them one after another without a new client (connections, metadata) for each.
  Result<rd_kafka_t*> RestoreConsumer();
  // Reads offsets [start, end) of the task's partition into `assembly`.
  Status ReadRange(rd_kafka_t* consumer, const TaskId& task, int64_t start, int64_t end,
                   SnapshotAssembly& assembly);

  ChangelogSettings settings_;
  KafkaClient producer_;
  std::mutex mu_;                // Write runs on sink threads
  std::string delivery_error_;   // the first failed delivery of the current Write
  uint64_t next_snapshot_id_ = 0;
  std::mutex restore_mu_;  // one Load at a time: the consumer has one assignment
  KafkaClient restore_consumer_;
};

}  // namespace pipeline::kafka
