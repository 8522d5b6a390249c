#include "connectors/kafka/kafka_dead_letter_queue.h"

#include <atomic>
#include <mutex>

#include "connectors/kafka/client_config.h"
#include "formats/dead_letter_envelope.h"
#include "formats/json.h"

namespace pipeline::kafka {

namespace {

constexpr int kSyncTimeoutMs = 60'000;

class KafkaDeadLetterQueue : public DeadLetterQueue {
 public:
  KafkaDeadLetterQueue(std::string brokers, std::string topic)
      : brokers_(std::move(brokers)), topic_(std::move(topic)) {}

  Status Write(const DeadLetter& letter) override {
    std::string value;
    AppendDeadLetterEnvelope(letter, value);
    std::string key;
    if (letter.record && !letter.record->key.is_null()) AppendJson(letter.record->key, key);
    std::lock_guard lock(mu_);
    if (!producer_) PIPE_RETURN_IF_ERROR(ConnectLocked());
    while (true) {
      rd_kafka_resp_err_t err = rd_kafka_producev(
          producer_.get(), RD_KAFKA_V_TOPIC(topic_.c_str()), RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY),
          RD_KAFKA_V_KEY(key.empty() ? nullptr : key.data(), key.size()),
          RD_KAFKA_V_VALUE(value.data(), value.size()), RD_KAFKA_V_OPAQUE(this), RD_KAFKA_V_END);
      if (err == RD_KAFKA_RESP_ERR_NO_ERROR) return {};
      if (err != RD_KAFKA_RESP_ERR__QUEUE_FULL) return Failed(KafkaErrorText(err));
      rd_kafka_poll(producer_.get(), 100);  // the local queue is full: let delivery reports drain it
    }
  }

  Status Sync() override {
    std::lock_guard lock(mu_);
    if (!producer_) return {};
    rd_kafka_resp_err_t err = rd_kafka_flush(producer_.get(), kSyncTimeoutMs);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR)
      return Failed("not every dead letter was delivered within " + std::to_string(kSyncTimeoutMs / 1000) + " s");
    std::lock_guard failure_lock(failure_mu_);
    if (!failure_.empty()) return Failed(failure_);
    return {};
  }

  std::string Describe() const override { return "kafka topic " + topic_ + " at " + brokers_; }

 private:
  static void OnDelivery(rd_kafka_t*, const rd_kafka_message_t* message, void*) {
    if (message->err == RD_KAFKA_RESP_ERR_NO_ERROR) return;
    auto* self = static_cast<KafkaDeadLetterQueue*>(message->_private);
    std::lock_guard lock(self->failure_mu_);
    if (self->failure_.empty()) self->failure_ = KafkaErrorText(message->err);
  }

  Status ConnectLocked() {
    ClientProperties properties = {{"bootstrap.servers", brokers_}, {"acks", "all"}, {"enable.idempotence", "true"},
                                   {"linger.ms", "5"}};
    auto conf = BuildClientConf(properties);
    if (!conf.ok()) return conf.error();
    rd_kafka_conf_set_dr_msg_cb(conf->get(), &KafkaDeadLetterQueue::OnDelivery);
    char error[512];
    rd_kafka_t* rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf->get(), error, sizeof error);
    if (!rk) return FatalError("cannot create the dead-letter producer: " + std::string(error));
    static_cast<void>(conf->release());  // rd_kafka_new took it
    producer_.reset(rk);
    return {};
  }

  // A dead letter that cannot be kept is fatal: the records it stands for must not be acknowledged.
  Status Failed(const std::string& why) const {
    return FatalError("cannot write dead letters to " + Describe() + ": " + why);
  }

  std::string brokers_, topic_;
  std::mutex mu_;
  KafkaClient producer_;
  std::mutex failure_mu_;
  std::string failure_;  // the first failed delivery since the start (a lost dead letter stays an error)
};

}  // namespace

Result<std::shared_ptr<DeadLetterQueue>> OpenKafkaDeadLetterQueue(const std::string& address) {
  size_t slash = address.rfind('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 == address.size())
    return ConfigError("dead_letter_path: expected kafka://<bootstrap servers>/<topic>, got kafka://" + address);
  return std::shared_ptr<DeadLetterQueue>(
      std::make_shared<KafkaDeadLetterQueue>(address.substr(0, slash), address.substr(slash + 1)));
}

}  // namespace pipeline::kafka
