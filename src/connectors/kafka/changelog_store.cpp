#include "connectors/kafka/changelog_store.h"

#include <chrono>
#include <random>
#include <vector>

#include "connectors/kafka/client_config.h"

namespace pipeline::kafka {

namespace {

constexpr size_t kChunkBytes = 512 * 1024;
constexpr int kTimeoutMs = 30000;
constexpr const char* kSnapshotHeader = "pipe-snapshot";
constexpr const char* kChunksHeader = "pipe-chunks";

std::string HeaderText(const rd_kafka_message_t* m, const char* name) {
  rd_kafka_headers_t* headers = nullptr;
  const void* value = nullptr;
  size_t size = 0;
  if (rd_kafka_message_headers(m, &headers) || !headers || rd_kafka_header_get_last(headers, name, &value, &size))
    return {};
  return std::string(static_cast<const char*>(value), size);
}

}  // namespace

// Collects a partition's messages in order and keeps the last snapshot whose chunks all arrived.
class SnapshotAssembly {
 public:
  explicit SnapshotAssembly(std::string key_prefix) : prefix_(std::move(key_prefix)) {}

  void Add(const rd_kafka_message_t* m) {
    std::string_view key(static_cast<const char*>(m->key), m->key_len);
    if (!m->key || !key.starts_with(prefix_)) return;  // another stage's state
    size_t index = std::strtoull(std::string(key.substr(prefix_.size())).c_str(), nullptr, 10);
    std::string id = HeaderText(m, kSnapshotHeader);
    size_t chunks = std::strtoull(HeaderText(m, kChunksHeader).c_str(), nullptr, 10);
    if (index == 0) {
      id_ = id;
      bytes_.clear();
      next_ = 0;
    }
    if (id != id_ || index != next_) return;  // a chunk of a snapshot whose start was compacted away or torn
    bytes_.append(static_cast<const char*>(m->payload), m->len);
    if (++next_ == chunks) latest_ = bytes_;
  }
  std::optional<std::string>& latest() { return latest_; }

 private:
  std::string prefix_;
  std::string id_;
  std::string bytes_;
  size_t next_ = 0;
  std::optional<std::string> latest_;
};

Result<std::unique_ptr<ChangelogStore>> ChangelogStore::Open(ChangelogSettings settings) {
  std::unique_ptr<ChangelogStore> store(new ChangelogStore(std::move(settings)));
  ClientProperties p = {
      {"bootstrap.servers", store->settings_.bootstrap_servers},
      {"client.id", "pipe-" + store->settings_.stage + "-changelog"},
      {"acks", "all"},
      {"enable.idempotence", "true"},
      {"linger.ms", "5"},
      {"message.max.bytes", std::to_string(kChunkBytes + 64 * 1024)},
      // Snapshots repeat field names and small numbers: lz4 shrinks what every epoch writes and every restore reads.
      {"compression.type", "lz4"},
  };
  for (const auto& [key, value] : store->settings_.properties)
    if (!IsConsumerOnlyProperty(key)) p.emplace_back(key, value);
  auto conf = BuildClientConf(p);
  if (!conf.ok()) return conf.error();
  rd_kafka_conf_set_opaque(conf->get(), store.get());
  rd_kafka_conf_set_dr_msg_cb(conf->get(), &ChangelogStore::OnDelivery);
  char errstr[512];
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf->get(), errstr, sizeof(errstr));
  if (!rk) return ConfigError("changelog " + store->settings_.topic + ": " + errstr);
  static_cast<void>(conf->release());
  store->producer_.reset(rk);
  // Snapshot ids only tell one write's chunks from another's: random, so two processes never share one.
  store->next_snapshot_id_ = std::random_device{}();
  return store;
}

ChangelogStore::~ChangelogStore() {
  if (producer_) rd_kafka_flush(producer_.get(), 5000);
  if (restore_consumer_) rd_kafka_consumer_close(restore_consumer_.get());
}

std::string ChangelogStore::Describe(const TaskId& task) const {
  return "Kafka topic " + settings_.topic + " partition " + std::to_string(task.partition) + " (" + task.kind + ")";
}

void ChangelogStore::OnDelivery(rd_kafka_t*, const rd_kafka_message_t* m, void* opaque) {
  if (!m->err) return;
  auto* store = static_cast<ChangelogStore*>(opaque);
  if (store->delivery_error_.empty()) store->delivery_error_ = rd_kafka_err2str(m->err);
}

Status ChangelogStore::Produce(const TaskId& task, const std::string& bytes) {
  const int32_t partition = task.partition;
  std::string id = std::to_string(next_snapshot_id_++);
  size_t chunks = std::max<size_t>(1, (bytes.size() + kChunkBytes - 1) / kChunkBytes);
  std::string chunk_count = std::to_string(chunks);
  for (size_t i = 0; i < chunks; ++i) {
    std::string key = KeyPrefix(task) + std::to_string(i);
    size_t begin = i * kChunkBytes;
    size_t size = std::min(kChunkBytes, bytes.size() - begin);
    rd_kafka_resp_err_t err = rd_kafka_producev(
        producer_.get(), RD_KAFKA_V_TOPIC(settings_.topic.c_str()), RD_KAFKA_V_PARTITION(partition),
        RD_KAFKA_V_KEY(key.data(), key.size()), RD_KAFKA_V_VALUE(const_cast<char*>(bytes.data() + begin), size),
        RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
        RD_KAFKA_V_HEADER(kSnapshotHeader, id.data(), static_cast<ssize_t>(id.size())),
        RD_KAFKA_V_HEADER(kChunksHeader, chunk_count.data(), static_cast<ssize_t>(chunk_count.size())),
        RD_KAFKA_V_END);
    if (err == RD_KAFKA_RESP_ERR__QUEUE_FULL) {
      rd_kafka_poll(producer_.get(), 100);
      --i;
      continue;
    }
    if (err) return RetryableError(Describe(task) + ": " + KafkaErrorText(err));
  }
  return {};
}

Status ChangelogStore::Write(const Snapshot& snapshot) {
  std::lock_guard lock(mu_);
  delivery_error_.clear();
  for (const TaskSnapshot& task : snapshot) PIPE_RETURN_IF_ERROR(Produce(task.task, task.bytes));
  if (rd_kafka_flush(producer_.get(), kTimeoutMs) != RD_KAFKA_RESP_ERR_NO_ERROR)
    return RetryableError("changelog " + settings_.topic + ": not delivered within " +
                          std::to_string(kTimeoutMs / 1000) + " s");
  if (!delivery_error_.empty()) return RetryableError("changelog " + settings_.topic + ": " + delivery_error_);
  return {};
}

Result<rd_kafka_t*> ChangelogStore::RestoreConsumer() {
  if (restore_consumer_) return restore_consumer_.get();
  ClientProperties p = {
      {"bootstrap.servers", settings_.bootstrap_servers},
      {"client.id", "pipe-" + settings_.stage + "-restore"},
      {"group.id", "pipe-" + settings_.stage + "-restore"},  // required by the consumer API; nothing is committed
      {"enable.auto.commit", "false"},
      {"enable.partition.eof", "true"},
      {"log.connection.close", "false"},
  };
  AppendUserProperties(settings_.properties, p);
  auto conf = BuildClientConf(p);
  if (!conf.ok()) return conf.error();
  char errstr[512];
  rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf->get(), errstr, sizeof(errstr));
  if (!rk) return ConfigError("changelog " + settings_.topic + ": " + errstr);
  static_cast<void>(conf->release());
  restore_consumer_.reset(rk);
  return rk;
}

// The newest complete snapshot is the state. It sits at the partition's end, unless other tasks wrote after it
// (the other kind, another stage): read a window at the end, and a wider one until a snapshot is found or the
// window covers the partition. So a changelog that is not compacted restores as fast as one that is.
Result<std::optional<std::string>> ChangelogStore::Load(const TaskId& task) {
  std::lock_guard lock(restore_mu_);
  auto consumer = RestoreConsumer();
  if (!consumer.ok()) return consumer.error();
  rd_kafka_t* rk = *consumer;
  // Whatever the way out, the consumer stops fetching the partition (ReadRange assigns it).
  std::unique_ptr<rd_kafka_t, void (*)(rd_kafka_t*)> unassign(rk, [](rd_kafka_t* c) { rd_kafka_assign(c, nullptr); });
  int64_t low = 0, high = 0;
  rd_kafka_resp_err_t err =
      rd_kafka_query_watermark_offsets(rk, settings_.topic.c_str(), task.partition, &low, &high, kTimeoutMs);
  if (err) return RetryableError(Describe(task) + ": " + KafkaErrorText(err) +
                                 " (create the changelog topic with as many partitions as the input and repartition topics)");
  for (int64_t window = 64;; window *= 8) {
    int64_t start = std::max(low, high - window);
    SnapshotAssembly assembly(KeyPrefix(task));
    PIPE_RETURN_IF_ERROR(ReadRange(rk, task, start, high, assembly));
    if (assembly.latest() || start == low) return std::move(assembly.latest());
  }
}

Status ChangelogStore::ReadRange(rd_kafka_t* rk, const TaskId& task, int64_t start, int64_t end,
                                 SnapshotAssembly& assembly) {
  if (start >= end) return {};
  PartitionList list(rd_kafka_topic_partition_list_new(1));
  rd_kafka_topic_partition_list_add(list.get(), settings_.topic.c_str(), task.partition)->offset = start;
  if (rd_kafka_resp_err_t err = rd_kafka_assign(rk, list.get()))
    return RetryableError(Describe(task) + ": " + KafkaErrorText(err));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kTimeoutMs);
  for (int64_t next = start; next < end;) {
    if (std::chrono::steady_clock::now() > deadline)
      return RetryableError(Describe(task) + ": restore did not reach offset " + std::to_string(end) + " within " +
                            std::to_string(kTimeoutMs / 1000) + " s");
    KafkaMessage m(rd_kafka_consumer_poll(rk, 200));
    if (!m || (m->partition >= 0 && m->partition != task.partition)) continue;  // an earlier Load's partition
    if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) break;
    if (m->err) return RetryableError(Describe(task) + ": " + rd_kafka_message_errstr(m.get()));
    assembly.Add(m.get());
    next = m->offset + 1;
  }
  return {};
}

}  // namespace pipeline::kafka
