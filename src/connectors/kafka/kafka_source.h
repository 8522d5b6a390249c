// The `kafka` source: a consumer-group member that turns messages into Records (key, value, headers, timestamp,
// topic, partition, offset; Position ("<topic>/<partition>", offset)) and commits offsets only for batches every
// sink acknowledged (the runtime's position ledger).
//
// Threading: everything runs on the source thread, including librdkafka's rebalance callback (served from
// rd_kafka_consumer_poll inside Read). On revoke it waits for in-flight batches (SourceContext::wait_all_acked)
// and commits before giving partitions up, so the next owner starts after what was delivered.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "connectors/kafka/broker_outage.h"
#include "connectors/kafka/client_config.h"
#include "connectors/kafka/consumer_directory.h"
#include "connectors/kafka/consumer_lag.h"
#include "connectors/kafka/kafka_format.h"
#include "connectors/kafka/kafka_handles.h"
#include "connectors/kafka/topic_partition.h"
#include "connectors/kafka/partition_progress.h"
#include "connectors/kafka/raw_payload_block.h"
#include "plugin/dead_letter.h"
#include "plugin/options.h"
#include "plugin/source.h"

namespace pipeline {
class Counter;
}

namespace pipeline::kafka {

enum class StartPosition { kEarliest, kLatest, kTimestamp };

struct KafkaSourceSettings {
  std::string name;  // the stream name
  std::string bootstrap_servers;
  std::vector<std::string> topics;
  std::string topic_pattern;  // with the leading ^ librdkafka needs
  std::string group_id;
  bool group_assignment = true;  // false: assignment: all — read every partition, no group membership
  StartPosition start = StartPosition::kEarliest;
  int64_t start_timestamp_ms = 0;
  KafkaFormat key_format = KafkaFormat::kString;
  KafkaFormat value_format = KafkaFormat::kJson;
  bool stop_at_end = false;
  size_t batch_size = 2000;
  OnError on_decode_error = OnError::kFail;  // the source's on_error (on_decode_error: its deprecated alias)
  std::string dead_letter_path;
  std::chrono::milliseconds rebalance_timeout{30000};
  std::map<std::string, std::string> properties;
};

Result<KafkaSourceSettings> ParseKafkaSourceSettings(const Options& options, const std::string& name);

class KafkaSource : public Source {
 public:
  explicit KafkaSource(KafkaSourceSettings settings);
  ~KafkaSource() override;

  Status Open(SourceContext& ctx) override;
  Result<ReadStatus> Read(Batch& out, std::stop_token stop) override;
  Status Commit(const LanePositions& acknowledged) override;
  bool StablePositions() const override { return true; }  // Kafka offsets name records for good
  bool ReplaysFromStart() const override { return true; }  // from the earliest offset the topic still holds
  void Close() override;

 private:
  static void OnRebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions,
                          void* opaque);
  static void OnOffsetCommit(rd_kafka_t* rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* offsets,
                             void* opaque);
  ClientProperties ConsumerProperties() const;
  void HandleAssign(rd_kafka_topic_partition_list_t* partitions);
  // assignment: all — every partition of the listed topics, without joining the group.
  Status AssignAllPartitions();
  void HandleRevoke(rd_kafka_topic_partition_list_t* partitions);
  void DropUnpublishedRecordsOf(const std::vector<LaneId>& lanes);
  void StartFromBeginning(rd_kafka_topic_partition_list_t* partitions);
  void ApplyStartTimestamp(rd_kafka_topic_partition_list_t* partitions);
  CommitOffsets EndOffsets(const rd_kafka_topic_partition_list_t* partitions);
  // Handles a message that carries an error instead of data; returns a failure only for fatal errors.
  Status HandleMessageError(const rd_kafka_message_t* message);
  Status AppendRecord(const rd_kafka_message_t* message, Batch& out);
  // Decodes the message's value into r.value; with keep_raw_values_, from a copy in raw_block_ kept as r.raw.
  Status DecodeValue(const rd_kafka_message_t* message, Record& r);
  const std::string& TopicName(rd_kafka_topic_t* rkt);
  // Commits acknowledged offsets that changed since the last commit, limited to owned partitions.
  void CommitAcknowledged(const LanePositions& acknowledged, const std::set<TopicPartition>& partitions,
                          bool synchronous);
  // The lane of a partition: "<topic>/<partition>", interned once per partition.
  LaneId LaneOf(const std::string& topic, int32_t partition);
  // The batch being read advanced `lane` to `next_offset`.
  void NoteProgress(LaneId lane, int64_t next_offset);
  void Warn(const std::string& message) const;
  static void OnClientError(rd_kafka_t* rk, int err, const char* reason, void* opaque);

  KafkaSourceSettings settings_;
  SourceContext ctx_;
  KafkaClient consumer_;
  std::shared_ptr<ConsumerLink> link_;
  PayloadDecoder key_decoder_;
  PayloadDecoder value_decoder_;
  std::map<std::pair<std::string, int32_t>, LaneId> lanes_;
  std::map<LaneId, TopicPartition> partitions_by_lane_;
  std::pair<std::string, int32_t> last_lane_key_{"", -1};  // consecutive messages mostly share a partition
  LaneId last_lane_ = kNoLane;
  std::vector<Position> open_progress_;  // per partition, the next offset after the batch being read
  std::unique_ptr<PartitionProgress> progress_;
  std::unique_ptr<ConsumerLagGauges> lag_gauges_;  // from Open to Close (it reads consumer_ on the /metrics thread)
  std::set<TopicPartition> assigned_;
  std::set<TopicPartition> replayed_from_start_;  // SourceContext::from_start: partitions sent back to offset 0
  CommitOffsets committed_;  // what this member last committed, per partition
  bool rebalanced_during_read_ = false;
  // The records Read is appending to (from index reading_from_), so that a revoke inside the poll can take back
  // the ones of partitions it gave up.
  std::vector<Record>* reading_ = nullptr;
  size_t reading_from_ = 0;
  bool keep_raw_values_ = false;  // a sink writes unchanged JSON values as they came (see RawValue)
  std::shared_ptr<RawPayloadBlock> raw_block_;  // the raw values of the batch being read
  bool closing_ = false;
  Status deferred_error_;  // a failure inside a librdkafka callback, returned by the next Read
  rd_kafka_topic_t* last_rkt_ = nullptr;
  std::string last_topic_;
  Counter* decode_errors_ = nullptr;
  std::shared_ptr<DeadLetterQueue> dead_letters_;  // on_error: dead_letter
  // A message that did not decode: fails the read, or is counted and skipped or dead-lettered.
  Status Undecodable(const rd_kafka_message_t* m, const std::string& topic, LaneId lane, const char* part,
                     const Status& why);
  std::string last_consumer_error_;  // repeated consumer errors are logged once
  BrokerOutage outage_;  // /readyz while every broker is down
};

}  // namespace pipeline::kafka
