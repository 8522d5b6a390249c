#include "connectors/kafka/kafka_source.h"

#include <algorithm>
#include <chrono>

#include "observability/log.h"
#include "observability/metrics.h"

namespace pipeline::kafka {

namespace {

constexpr int kPollTimeoutMs = 100;  // Read() must come back within ~100 ms when idle
constexpr int kMetadataTimeoutMs = 10000;

PartitionList ToPartitionList(const CommitOffsets& offsets) {
  PartitionList list(rd_kafka_topic_partition_list_new(static_cast<int>(offsets.size())));
  for (const auto& [tp, offset] : offsets)
    rd_kafka_topic_partition_list_add(list.get(), tp.topic.c_str(), tp.partition)->offset = offset;
  return list;
}

std::set<TopicPartition> ToSet(const rd_kafka_topic_partition_list_t* list) {
  std::set<TopicPartition> out;
  for (int i = 0; i < list->cnt; ++i) out.insert({list->elems[i].topic, list->elems[i].partition});
  return out;
}

bool IsCooperative(rd_kafka_t* rk) {
  const char* protocol = rd_kafka_rebalance_protocol(rk);  // NULL outside a group
  return protocol && std::string_view(protocol) == "COOPERATIVE";
}

}  // namespace

KafkaSource::KafkaSource(KafkaSourceSettings settings)
    : settings_(std::move(settings)),
      key_decoder_(settings_.key_format),
      value_decoder_(settings_.value_format) {}

KafkaSource::~KafkaSource() { Close(); }

void KafkaSource::Warn(const std::string& message) const {
  LogWarn("kafka_source_warning", message, {{"source", settings_.name}});
}

ClientProperties KafkaSource::ConsumerProperties() const {
  ClientProperties p = {
      {"bootstrap.servers", settings_.bootstrap_servers},
      {"group.id", settings_.group_id},
      {"client.id", "pipe-" + settings_.name},
      // Offsets are committed by Commit() for acknowledged batches only, never behind our back.
      {"enable.auto.commit", "false"},
      {"enable.auto.offset.store", "false"},
      {"auto.offset.reset", settings_.start == StartPosition::kLatest ? "latest" : "earliest"},
      {"enable.partition.eof", settings_.stop_at_end ? "true" : "false"},
      // Throughput: keep a deep local queue so Read() finds full batches without waiting on the network. Bytes
      // bound it, not messages: librdkafka 2.0 looks at a queue it stopped fetching for only once a second, so
      // each time 200,000 queued messages stopped the fetches the kafka bench stalled ~0.6 s (2.4 s against 1.35 s
      // for 1,000,000 messages).
      {"queued.min.messages", "10000000"},
      {"queued.max.messages.kbytes", "262144"},
      {"fetch.wait.max.ms", "100"},
      {"max.partition.fetch.bytes", "4194304"},
      {"log.connection.close", "false"},
  };
  AppendUserProperties(settings_.properties, p);
  return p;
}

Status KafkaSource::Open(SourceContext& ctx) {
  ctx_ = ctx;
  outage_.Watch(ctx.health, settings_.bootstrap_servers);
  const bool json_values = settings_.value_format == KafkaFormat::kJson;
  keep_raw_values_ = json_values && ctx.value_demand.AcceptsRaw("json");
  value_decoder_.Project(json_values ? ctx.value_demand.ForSource("json") : FieldDemand::All());
  progress_ = std::make_unique<PartitionProgress>();
  if (ctx.metrics) {
    decode_errors_ = ctx.metrics->GetCounter("pipe_kafka_decode_errors_total", {{"source", settings_.name}},
                                             "Kafka messages skipped because their key or value did not decode");
  }
  if (settings_.on_decode_error == OnError::kDeadLetter) {
    auto queue = OpenDeadLetterQueue(settings_.dead_letter_path);
    if (!queue.ok()) return queue.error();
    dead_letters_ = std::move(*queue);
  }
  auto conf = BuildClientConf(ConsumerProperties());
  if (!conf.ok()) return conf.error();
  rd_kafka_conf_set_opaque(conf->get(), this);
  rd_kafka_conf_set_rebalance_cb(conf->get(), &KafkaSource::OnRebalance);
  rd_kafka_conf_set_offset_commit_cb(conf->get(), &KafkaSource::OnOffsetCommit);
  rd_kafka_conf_set_error_cb(conf->get(), &KafkaSource::OnClientError);
  char errstr[512];
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf->get(), errstr, sizeof(errstr));
  if (!rk) return ConfigError("kafka source '" + settings_.name + "': " + errstr);
  static_cast<void>(conf->release());  // owned by rk now
  consumer_.reset(rk);
  rd_kafka_poll_set_consumer(rk);
  if (ctx.metrics) {
    lag_gauges_ = std::make_unique<ConsumerLagGauges>(settings_.name, *ctx.metrics, rk,
                                                      settings_.start != StartPosition::kLatest);
  }

  link_ = FindConsumerLink(settings_.name);
  link_->Publish(rk);
  if (!settings_.group_assignment) return AssignAllPartitions();

  PartitionList subscription(rd_kafka_topic_partition_list_new(1));
  if (!settings_.topic_pattern.empty()) {
    rd_kafka_topic_partition_list_add(subscription.get(), settings_.topic_pattern.c_str(), RD_KAFKA_PARTITION_UA);
  } else {
    for (const auto& t : settings_.topics)
      rd_kafka_topic_partition_list_add(subscription.get(), t.c_str(), RD_KAFKA_PARTITION_UA);
  }
  if (rd_kafka_resp_err_t err = rd_kafka_subscribe(rk, subscription.get()))
    return ConfigError("kafka source '" + settings_.name + "': subscribe: " + KafkaErrorText(err));
  return {};
}

void KafkaSource::OnClientError(rd_kafka_t*, int err, const char* reason, void* opaque) {
  // Served from rd_kafka_consumer_poll, on the source thread.
  auto* self = static_cast<KafkaSource*>(opaque);
  if (err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) self->outage_.Began();
  std::string text = reason ? reason : rd_kafka_err2str(static_cast<rd_kafka_resp_err_t>(err));
  if (text != self->last_consumer_error_) {
    self->last_consumer_error_ = text;
    self->Warn(text);
  }
}

Result<ReadStatus> KafkaSource::Read(Batch& out, std::stop_token stop) {
  if (!deferred_error_.ok()) return deferred_error_.error();
  if (outage_.Ended(consumer_.get())) {
    last_consumer_error_.clear();  // the next error is news again
    LogInfo("kafka_brokers_back", "Kafka brokers answer again", {{"source", settings_.name}});
  }
  rebalanced_during_read_ = false;
  reading_ = &out.records;
  reading_from_ = out.records.size();
  struct EndOfRead {  // on every return: a revoke outside Read (Close) has no batch to take records from
    std::vector<Record>*& reading;
    ~EndOfRead() { reading = nullptr; }
  } end_of_read{reading_};
  size_t appended = 0;
  int timeout = kPollTimeoutMs;
  while (appended < settings_.batch_size && !stop.stop_requested()) {
    KafkaMessage message(rd_kafka_consumer_poll(consumer_.get(), timeout));
    if (!message) break;
    if (timeout != 0) {  // once data flows
      out.records.reserve(out.records.size() + settings_.batch_size);
      if (keep_raw_values_) raw_block_ = std::make_shared<RawPayloadBlock>(settings_.batch_size);
    }
    timeout = 0;  // drain what is already fetched, but do not wait for more once the batch has started
    if (message->err) {
      PIPE_RETURN_IF_ERROR(HandleMessageError(message.get()));
    } else {
      size_t before = out.records.size();
      PIPE_RETURN_IF_ERROR(AppendRecord(message.get(), out));
      appended += out.records.size() - before;
    }
    // Partitions just changed hands: end this batch so its offsets are attributed to the new assignment.
    if (rebalanced_during_read_) break;
  }
  appended = out.records.size() - reading_from_;  // a revoke may have taken records back
  raw_block_.reset();  // the records hold what they need of it
  if (!deferred_error_.ok()) return deferred_error_.error();
  for (const Position& p : open_progress_) progress_->Advance(partitions_by_lane_.at(p.lane), p.major);
  // Messages that emitted nothing (skipped as undecodable) still move their partitions: a batch of progress alone.
  out.progress = std::move(open_progress_);
  open_progress_.clear();
  if (appended > 0) return ReadStatus::kMore;
  if (settings_.stop_at_end && progress_->AllReachedEnd()) return ReadStatus::kEnd;
  return ReadStatus::kIdle;
}

LaneId KafkaSource::LaneOf(const std::string& topic, int32_t partition) {
  if (last_lane_ != kNoLane && last_lane_key_.second == partition && last_lane_key_.first == topic) return last_lane_;
  last_lane_key_ = {topic, partition};
  auto [it, added] = lanes_.try_emplace(last_lane_key_, kNoLane);
  if (added) {
    it->second = Lanes::Intern(topic + "/" + std::to_string(partition));
    partitions_by_lane_[it->second] = {topic, partition};
  }
  return last_lane_ = it->second;
}

void KafkaSource::NoteProgress(LaneId lane, int64_t next_offset) {
  for (Position& p : open_progress_) {
    if (p.lane == lane) {
      p.major = std::max(p.major, next_offset);
      return;
    }
  }
  open_progress_.push_back({lane, next_offset, 0});
}

const std::string& KafkaSource::TopicName(rd_kafka_topic_t* rkt) {
  if (rkt != last_rkt_) {
    last_rkt_ = rkt;
    last_topic_ = rd_kafka_topic_name(rkt);
  }
  return last_topic_;
}

Status KafkaSource::AppendRecord(const rd_kafka_message_t* m, Batch& out) {
  const std::string& topic = TopicName(m->rkt);
  const LaneId lane = LaneOf(topic, m->partition);
  NoteProgress(lane, m->offset + 1);
  Record& r = out.records.emplace_back();
  Status decoded = key_decoder_.Decode(m->key, m->key_len, r.key);
  const char* part = "key";
  if (decoded.ok()) {
    decoded = DecodeValue(m, r);
    part = "value";
  }
  if (!decoded.ok()) {
    out.records.pop_back();
    return Undecodable(m, topic, lane, part, decoded);
  }
  rd_kafka_timestamp_type_t ts_type;
  int64_t ts = rd_kafka_message_timestamp(m, &ts_type);
  r.timestamp = ts >= 0 ? ts
                        : std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
  rd_kafka_headers_t* headers = nullptr;
  if (rd_kafka_message_headers(m, &headers) == RD_KAFKA_RESP_ERR_NO_ERROR && headers) {
    const char* name;
    const void* value;
    size_t size;
    for (size_t i = 0; rd_kafka_header_get_all(headers, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR;
         ++i) {
      Header& h = r.headers.emplace_back();
      h.key = name;
      if (value) h.value = std::string(static_cast<const char*>(value), size);
    }
  }
  r.topic = topic;
  r.partition = m->partition;
  r.offset = m->offset;
  r.position = {lane, m->offset, 0};
  return {};
}

Status KafkaSource::Undecodable(const rd_kafka_message_t* m, const std::string& topic, LaneId lane, const char* part,
                                const Status& why) {
  std::string where = "topic " + topic + " partition " + std::to_string(m->partition) + " offset " +
                      std::to_string(m->offset) + ": " + part + ": " + why.message();
  if (settings_.on_decode_error == OnError::kFail)
    return DataError("kafka source '" + settings_.name + "': " + where + " (set on_error: skip or dead_letter to keep going)");
  if (decode_errors_) decode_errors_->Add();
  if (settings_.on_decode_error == OnError::kSkip) return {};
  // The envelope keeps the bytes that did not decode (the key's when the key failed, else the value's).
  Record r;
  r.topic = topic;
  r.partition = m->partition;
  r.offset = m->offset;
  r.position = {lane, m->offset, 0};
  r.timestamp = rd_kafka_message_timestamp(m, nullptr);
  const bool key_failed = std::string_view(part) == "key";
  const void* bytes = key_failed ? m->key : m->payload;
  const size_t size = key_failed ? m->key_len : m->len;
  DeadLetter letter{.stage = FailedStage::kDecode,
                    .component = settings_.name,
                    .error = DataError(where),
                    .record = &r,
                    .undecoded = std::string_view(static_cast<const char*>(bytes), bytes ? size : 0)};
  return dead_letters_->Write(letter);
}

Status KafkaSource::DecodeValue(const rd_kafka_message_t* m, Record& r) {
  if (!keep_raw_values_ || !m->payload) return value_decoder_.Decode(m->payload, m->len, r.value);
  // The copy is parsed in place (the block leaves simdjson's padding readable after it), and kept only when
  // the value is an object: a sink writes other values from the Value.
  std::string_view bytes = raw_block_->Copy(m->payload, m->len);
  PIPE_RETURN_IF_ERROR(value_decoder_.Decode(bytes.data(), bytes.size(), r.value, RawPayloadBlock::kReadableAfter));
  if (r.value.is_struct()) r.raw = RawPayloadBlock::Add(raw_block_, bytes, r.value);
  return {};
}

Status KafkaSource::HandleMessageError(const rd_kafka_message_t* m) {
  if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
    if (m->rkt) progress_->ReachedEof({rd_kafka_topic_name(m->rkt), m->partition}, m->offset);
    return {};
  }
  char reason[512];
  if (rd_kafka_fatal_error(consumer_.get(), reason, sizeof(reason)))
    return FatalError("kafka source '" + settings_.name + "': " + reason);
  std::string text = rd_kafka_message_errstr(m);
  if (m->err == RD_KAFKA_RESP_ERR_TOPIC_AUTHORIZATION_FAILED || m->err == RD_KAFKA_RESP_ERR_GROUP_AUTHORIZATION_FAILED)
    return FatalError("kafka source '" + settings_.name + "': " + text);
  if (m->err == RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) outage_.Began();
  // Broker down, unknown topic not created yet, ...: librdkafka keeps retrying; say it once.
  if (text != last_consumer_error_) {
    last_consumer_error_ = text;
    Warn(text);
  }
  return {};
}

Status KafkaSource::Commit(const LanePositions& acknowledged) {
  // Dead letters first: once the offset moves past a message, its dead letter is the only copy.
  if (dead_letters_) PIPE_RETURN_IF_ERROR(dead_letters_->Sync());
  CommitAcknowledged(acknowledged, assigned_, /*synchronous=*/false);
  return {};
}

void KafkaSource::CommitAcknowledged(const LanePositions& acknowledged, const std::set<TopicPartition>& partitions,
                                     bool synchronous) {
  if (!consumer_ || (link_ && link_->offsets_committed_by_sink())) return;
  if (dead_letters_ && synchronous) {  // a rebalance or the close: Commit() synced the others
    Status synced = dead_letters_->Sync();
    if (!synced.ok()) return Warn("offsets not committed: the dead letters could not be synced: " + synced.message());
  }
  CommitOffsets changed;
  for (const auto& [lane, position] : acknowledged) {
    auto known = partitions_by_lane_.find(lane);
    if (known == partitions_by_lane_.end() || !partitions.count(known->second)) continue;
    const TopicPartition& tp = known->second;
    const int64_t offset = position.major;
    auto it = committed_.find(tp);
    if (it != committed_.end() && it->second == offset && !synchronous) continue;
    changed.emplace(tp, offset);
    committed_[tp] = offset;
  }
  if (changed.empty()) return;
  PartitionList list = ToPartitionList(changed);
  rd_kafka_resp_err_t err = rd_kafka_commit(consumer_.get(), list.get(), synchronous ? 0 : 1);
  if (err && synchronous) Warn("offset commit failed: " + KafkaErrorText(err));
}

void KafkaSource::OnOffsetCommit(rd_kafka_t*, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t*,
                                 void* opaque) {
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR || err == RD_KAFKA_RESP_ERR__NO_OFFSET) return;
  // A failed commit only means those messages may be read again after a restart (at-least-once).
  static_cast<KafkaSource*>(opaque)->Warn("offset commit failed: " + KafkaErrorText(err));
}

void KafkaSource::OnRebalance(rd_kafka_t* rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* partitions,
                              void* opaque) {
  auto* self = static_cast<KafkaSource*>(opaque);
  self->rebalanced_during_read_ = true;
  if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
    self->HandleAssign(partitions);
  } else if (err == RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS) {
    self->HandleRevoke(partitions);
  } else {
    self->Warn(std::string("rebalance failed: ") + rd_kafka_err2str(err));
    if (IsCooperative(rk)) rd_kafka_error_destroy(rd_kafka_incremental_unassign(rk, partitions));
    else rd_kafka_assign(rk, nullptr);
  }
}

void KafkaSource::HandleAssign(rd_kafka_topic_partition_list_t* partitions) {
  rd_kafka_t* rk = consumer_.get();
  if (settings_.start == StartPosition::kTimestamp) ApplyStartTimestamp(partitions);
  if (ctx_.from_start) StartFromBeginning(partitions);
  CommitOffsets ends;
  if (settings_.stop_at_end) {
    ends = EndOffsets(partitions);
  } else {
    for (const auto& tp : ToSet(partitions)) ends[tp] = -1;
  }
  progress_->Assign(ends);
  for (const auto& tp : ToSet(partitions)) assigned_.insert(tp);
  LogInfo("kafka_partitions_assigned",
          "assigned " + std::to_string(partitions->cnt) + " partitions, now owns " +
              std::to_string(assigned_.size()),
          {{"source", settings_.name}, {"group", settings_.group_id}});
  link_->SetAssignment(assigned_);
  if (IsCooperative(rk)) {
    KafkaError error(rd_kafka_incremental_assign(rk, partitions));
    if (error) deferred_error_ = RetryableError(std::string("assign: ") + rd_kafka_error_string(error.get()));
  } else if (rd_kafka_resp_err_t e = rd_kafka_assign(rk, partitions)) {
    deferred_error_ = RetryableError("assign: " + KafkaErrorText(e));
  }
}

Status KafkaSource::AssignAllPartitions() {
  rd_kafka_t* rk = consumer_.get();
  PartitionList all(rd_kafka_topic_partition_list_new(16));
  for (const std::string& topic : settings_.topics) {
    TopicHandle rkt(rd_kafka_topic_new(rk, topic.c_str(), nullptr));
    const rd_kafka_metadata_t* metadata = nullptr;
    rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 0, rkt.get(), &metadata, kMetadataTimeoutMs);
    if (err) return RetryableError("kafka source '" + settings_.name + "': metadata of " + topic + ": " + KafkaErrorText(err));
    std::unique_ptr<const rd_kafka_metadata_t, void (*)(const rd_kafka_metadata_t*)> owned(metadata, rd_kafka_metadata_destroy);
    if (metadata->topic_cnt != 1 || metadata->topics[0].err || metadata->topics[0].partition_cnt == 0)
      return RetryableError("kafka source '" + settings_.name + "': topic " + topic + " not found");
    for (int i = 0; i < metadata->topics[0].partition_cnt; ++i)
      rd_kafka_topic_partition_list_add(all.get(), topic.c_str(), metadata->topics[0].partitions[i].id);
  }
  // Offsets stay RD_KAFKA_OFFSET_INVALID: librdkafka starts from the committed offset, else from `start`.
  HandleAssign(all.get());
  if (!deferred_error_.ok()) return deferred_error_;
  return {};
}

void KafkaSource::HandleRevoke(rd_kafka_topic_partition_list_t* partitions) {
  rd_kafka_t* rk = consumer_.get();
  std::set<TopicPartition> revoked = ToSet(partitions);
  if (!rd_kafka_assignment_lost(rk)) {
    // Hand over only what was delivered: wait for in-flight batches, then commit before giving partitions up.
    auto timeout = settings_.rebalance_timeout;
    if (closing_) timeout = std::min(timeout, std::chrono::milliseconds(5000));
    bool all_acked = ctx_.wait_all_acked ? ctx_.wait_all_acked(timeout) : false;
    if (!all_acked)
      Warn("some batches were not delivered before partitions were revoked; their messages will be read again");
    if (ctx_.acknowledged) CommitAcknowledged(ctx_.acknowledged(), revoked, /*synchronous=*/true);
  }
  std::vector<LaneId> revoked_lanes;
  for (const auto& tp : revoked)
    if (auto it = lanes_.find({tp.topic, tp.partition}); it != lanes_.end()) revoked_lanes.push_back(it->second);
  std::erase_if(open_progress_, [&](const Position& p) {
    return std::find(revoked_lanes.begin(), revoked_lanes.end(), p.lane) != revoked_lanes.end();
  });
  if (ctx_.forget_lanes) ctx_.forget_lanes(revoked_lanes);
  DropUnpublishedRecordsOf(revoked_lanes);
  progress_->Revoke(revoked);
  for (const auto& tp : revoked) {
    assigned_.erase(tp);
    // A partition given up before this run committed anything for it still has the group's old offset: read it
    // from the beginning again when it comes back.
    if (!committed_.erase(tp)) replayed_from_start_.erase(tp);
  }
  link_->SetAssignment(assigned_);
  LogInfo("kafka_partitions_revoked",
          "gave up " + std::to_string(partitions->cnt) + " partitions, now owns " + std::to_string(assigned_.size()),
          {{"source", settings_.name}, {"group", settings_.group_id}});
  if (IsCooperative(rk)) rd_kafka_error_destroy(rd_kafka_incremental_unassign(rk, partitions));
  else rd_kafka_assign(rk, nullptr);
}

// The batch being read when partitions are revoked holds messages of them that were fetched before: they are not
// this process's any more (the next owner reads them from the offsets just committed), so they must not go
// downstream — a scaled-out `sql` stage would count them in a task it no longer owns, beside the new owner.
void KafkaSource::DropUnpublishedRecordsOf(const std::vector<LaneId>& lanes) {
  if (!reading_ || lanes.empty()) return;
  auto revoked = [&](const Record& r) { return std::find(lanes.begin(), lanes.end(), r.position.lane) != lanes.end(); };
  auto first = reading_->begin() + static_cast<std::ptrdiff_t>(reading_from_);
  size_t dropped = static_cast<size_t>(std::count_if(first, reading_->end(), revoked));
  if (dropped == 0) return;
  reading_->erase(std::remove_if(first, reading_->end(), revoked), reading_->end());
  LogInfo("kafka_revoked_records_dropped",
          "left " + std::to_string(dropped) + " records of revoked partitions to their next owner",
          {{"source", settings_.name}});
}

// A SQL stage rebuilds its state: each partition is read from its earliest offset the first time this run gets
// it, whatever the group committed; later assignments (after a rebalance) resume from what this run committed.
void KafkaSource::StartFromBeginning(rd_kafka_topic_partition_list_t* partitions) {
  for (int i = 0; i < partitions->cnt; ++i) {
    auto& p = partitions->elems[i];
    if (replayed_from_start_.insert({p.topic, p.partition}).second) p.offset = RD_KAFKA_OFFSET_BEGINNING;
  }
}

void KafkaSource::ApplyStartTimestamp(rd_kafka_topic_partition_list_t* partitions) {
  rd_kafka_t* rk = consumer_.get();
  PartitionList committed(rd_kafka_topic_partition_list_copy(partitions));
  if (rd_kafka_committed(rk, committed.get(), kMetadataTimeoutMs)) return;  // fall back to auto.offset.reset
  PartitionList lookup(rd_kafka_topic_partition_list_new(partitions->cnt));
  for (int i = 0; i < committed->cnt; ++i)
    if (committed->elems[i].offset < 0)
      rd_kafka_topic_partition_list_add(lookup.get(), committed->elems[i].topic, committed->elems[i].partition)
          ->offset = settings_.start_timestamp_ms;
  if (lookup->cnt == 0) return;
  if (rd_kafka_resp_err_t err = rd_kafka_offsets_for_times(rk, lookup.get(), kMetadataTimeoutMs)) {
    Warn("start_timestamp lookup failed (" + KafkaErrorText(err) + "); starting from the earliest offset");
    return;
  }
  for (int i = 0; i < lookup->cnt; ++i) {
    auto* target = rd_kafka_topic_partition_list_find(partitions, lookup->elems[i].topic, lookup->elems[i].partition);
    // No message at or after the timestamp: start at the end.
    if (target) target->offset = lookup->elems[i].offset >= 0 ? lookup->elems[i].offset : RD_KAFKA_OFFSET_END;
  }
}

CommitOffsets KafkaSource::EndOffsets(const rd_kafka_topic_partition_list_t* partitions) {
  rd_kafka_t* rk = consumer_.get();
  CommitOffsets ends;
  // One ListOffsets request per leader for all partitions; a per-partition query only where that failed.
  PartitionList lookup(rd_kafka_topic_partition_list_copy(partitions));
  for (int i = 0; i < lookup->cnt; ++i) lookup->elems[i].offset = RD_KAFKA_OFFSET_END;
  bool listed = rd_kafka_offsets_for_times(rk, lookup.get(), kMetadataTimeoutMs) == RD_KAFKA_RESP_ERR_NO_ERROR;
  for (int i = 0; i < lookup->cnt; ++i) {
    const auto& e = lookup->elems[i];
    int64_t end = listed && e.err == RD_KAFKA_RESP_ERR_NO_ERROR ? e.offset : -1;
    if (end < 0) {
      int64_t low = -1, high = -1;
      if (rd_kafka_query_watermark_offsets(rk, e.topic, e.partition, &low, &high, kMetadataTimeoutMs) == 0)
        end = high;
    }
    ends[{e.topic, e.partition}] = end;
  }
  return ends;
}

void KafkaSource::Close() {
  if (!consumer_) return;
  closing_ = true;
  // The runtime commits after the last acknowledgement; if it has not yet, everything delivered by now counts.
  if (ctx_.wait_all_acked) ctx_.wait_all_acked(std::min(settings_.rebalance_timeout, std::chrono::milliseconds(5000)));
  if (ctx_.acknowledged) CommitAcknowledged(ctx_.acknowledged(), assigned_, /*synchronous=*/true);
  lag_gauges_.reset();
  rd_kafka_consumer_close(consumer_.get());
  if (link_) link_->Withdraw();
  consumer_.reset();
}

}  // namespace pipeline::kafka
