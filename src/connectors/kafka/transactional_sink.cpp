#include "connectors/kafka/transactional_sink.h"


#include "connectors/kafka/kafka_sink.h"
#include "connectors/kafka/topic_admin.h"
#include "observability/log.h"

namespace pipeline::kafka {

namespace {

constexpr int kTransactionTimeoutMs = 60000;
constexpr int kAttempts = 3;

std::string Text(const rd_kafka_error_t* e) { return rd_kafka_error_string(e); }

}  // namespace

TransactionalKafkaSink::TransactionalKafkaSink(KafkaSinkSettings settings)
    : settings_(std::move(settings)), link_(FindConsumerLink(settings_.transaction_source)) {
  // Decided at build time, before any source commits: the transactions own the source's offsets.
  link_->CommitOffsetsWithTransactions();
}

TransactionalKafkaSink::~TransactionalKafkaSink() { Close(); }

Status TransactionalKafkaSink::Open(SinkContext& ctx) {
  (void)ctx;
  auto producer = NewProducer(settings_, this, &TransactionalKafkaSink::OnDelivery);
  if (!producer.ok()) return producer.error();
  producer_ = std::move(*producer);
  if (settings_.create_topic) PIPE_RETURN_IF_ERROR(CreateTopic(producer_.get(), settings_));
  // Fences an older producer with the same transactional.id and aborts its open transaction.
  KafkaError error(rd_kafka_init_transactions(producer_.get(), kTransactionTimeoutMs));
  if (error)
    return RetryableError("kafka sink '" + settings_.name + "': init_transactions (transactional.id " +
                          settings_.transactional_id + "): " + Text(error.get()));
  records_ = std::make_unique<RecordProducer>(settings_, producer_.get());
  delivery_thread_ = std::thread([this] {
    while (!stopping_.load()) rd_kafka_poll(producer_.get(), 100);
  });
  return {};
}

void TransactionalKafkaSink::OnDelivery(rd_kafka_t*, const rd_kafka_message_t* message, void* opaque) {
  if (!message->err) return;
  auto* sink = static_cast<TransactionalKafkaSink*>(opaque);
  std::lock_guard lock(sink->mu_);
  if (sink->delivery_failure_.empty()) sink->delivery_failure_ = rd_kafka_err2str(message->err);
}

Status TransactionalKafkaSink::Begin() {
  if (in_transaction_) return {};
  KafkaError error(rd_kafka_begin_transaction(producer_.get()));
  if (error) return FatalError("kafka sink '" + settings_.name + "': begin_transaction: " + Text(error.get()));
  in_transaction_ = true;
  return {};
}

Status TransactionalKafkaSink::Write(BatchPtr batch) {
  if (!batch || batch->empty()) return {};
  PIPE_RETURN_IF_ERROR(Begin());
  held_records_ += static_cast<int64_t>(batch->size());
  held_.push_back(std::move(batch));
  size_t produced = 0;
  PIPE_RETURN_IF_ERROR(records_->Produce(*held_.back(), this, &produced));
  if (held_records_ >= settings_.transaction_max_records) return CommitTransaction();
  return {};
}

Status TransactionalKafkaSink::ProduceHeld() {
  for (const BatchPtr& batch : held_) {
    size_t produced = 0;
    PIPE_RETURN_IF_ERROR(records_->Produce(*batch, this, &produced));
  }
  return {};
}

CommitOffsets TransactionalKafkaSink::HeldOffsets() const {
  CommitOffsets offsets;
  for (const BatchPtr& batch : held_) {
    for (const Record& r : batch->records) {
      if (r.offset < 0 || r.partition < 0 || r.topic.empty()) continue;
      auto [it, inserted] = offsets.emplace(TopicPartition{r.topic, r.partition}, r.offset + 1);
      if (!inserted && it->second < r.offset + 1) it->second = r.offset + 1;
    }
  }
  return link_->OwnedOnly(offsets);
}

Status TransactionalKafkaSink::SendOffsets() {
  CommitOffsets offsets = HeldOffsets();
  if (offsets.empty()) return {};
  GroupMetadata metadata = link_->GroupMetadataNow();
  if (!metadata)
    return FatalError("kafka sink '" + settings_.name + "': exactly_once: kafka source '" +
                      settings_.transaction_source + "' is not running in this pipeline");
  PartitionList list(rd_kafka_topic_partition_list_new(static_cast<int>(offsets.size())));
  for (const auto& [tp, offset] : offsets)
    rd_kafka_topic_partition_list_add(list.get(), tp.topic.c_str(), tp.partition)->offset = offset;
  KafkaError error(rd_kafka_send_offsets_to_transaction(producer_.get(), list.get(), metadata.get(),
                                                          kTransactionTimeoutMs));
  if (error) return RetryableError(Text(error.get()));
  return {};
}

Status TransactionalKafkaSink::CommitTransaction() {
  if (!in_transaction_) return {};
  std::string last_error;
  for (int attempt = 1; attempt <= kAttempts; ++attempt) {
    Status sent = SendOffsets();
    if (!sent.ok() && sent.error().kind() == ErrorKind::kFatal) return sent;
    last_error = sent.ok() ? "" : sent.message();
    {
      std::lock_guard lock(mu_);
      if (!delivery_failure_.empty()) last_error = "delivery failed: " + delivery_failure_;
    }
    bool fatal = false;
    for (int retry = 0; last_error.empty() && retry < kAttempts; ++retry) {
      KafkaError error(rd_kafka_commit_transaction(producer_.get(), kTransactionTimeoutMs));
      if (!error) {
        in_transaction_ = false;
        held_.clear();  // acknowledged: the output and the source offsets are committed together
        held_records_ = 0;
        return {};
      }
      if (rd_kafka_error_is_retriable(error.get())) continue;  // the same commit may be called again
      last_error = Text(error.get());
      fatal = rd_kafka_error_is_fatal(error.get());
    }
    if (fatal) break;
    if (last_error.empty()) last_error = "commit_transaction kept timing out";
    // Abort and write the held batches again in a fresh transaction.
    LogWarn("kafka_transaction_aborted", "transaction aborted, writing its batches again: " + last_error,
            {{"sink", settings_.name}, {"attempt", std::to_string(attempt) + "/" + std::to_string(kAttempts)}});
    KafkaError aborted(rd_kafka_abort_transaction(producer_.get(), kTransactionTimeoutMs));
    if (aborted) {
      last_error = "abort_transaction: " + Text(aborted.get());
      break;
    }
    in_transaction_ = false;
    {
      std::lock_guard lock(mu_);
      delivery_failure_.clear();
    }
    PIPE_RETURN_IF_ERROR(Begin());
    PIPE_RETURN_IF_ERROR(ProduceHeld());
  }
  return FatalError("kafka sink '" + settings_.name + "': transaction failed: " + last_error);
}

Status TransactionalKafkaSink::Flush() {
  if (!producer_) return {};
  return CommitTransaction();
}

void TransactionalKafkaSink::Close() {
  if (!producer_) return;
  // An uncommitted transaction is aborted by the broker (or fenced by our next start); its batches stay
  // unacknowledged, so the source reads them again.
  if (in_transaction_) {
    KafkaError ignored(rd_kafka_abort_transaction(producer_.get(), 5000));
    in_transaction_ = false;
  }
  stopping_ = true;
  WakePoll(producer_.get());  // the delivery thread would otherwise finish its 100 ms poll first
  if (delivery_thread_.joinable()) delivery_thread_.join();
  records_.reset();
  producer_.reset();
}

}  // namespace pipeline::kafka
