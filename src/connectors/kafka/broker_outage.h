// BrokerOutage: a Kafka client's view of "every broker is down" for /readyz. librdkafka reports the outage
// (RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN) but not its end, so while one lasts the client asks for metadata about
// once a second (100 ms at most); the first answer ends it. One thread: the one that serves the client's
// callbacks (the source thread, or the sink's delivery thread).
#pragma once

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <string>

#include "plugin/health.h"

namespace pipeline::kafka {

class BrokerOutage {
 public:
  // `health`: the connector's line in /readyz; `bootstrap`: named in it.
  void Watch(ConnectorHealth health, std::string bootstrap) {
    health_ = std::move(health);
    bootstrap_ = std::move(bootstrap);
  }
  // The client reported every broker down. True when this starts an outage.
  bool Began() {
    if (down_) return false;
    down_ = true;
    last_check_ = std::chrono::steady_clock::now();
    health_.Down("no Kafka broker of " + bootstrap_ + " answers");
    return true;
  }
  // While down: true once a broker answers again (at most one 100 ms metadata request a second).
  bool Ended(rd_kafka_t* client) {
    if (!down_) return false;
    auto now = std::chrono::steady_clock::now();
    if (now - last_check_ < std::chrono::seconds(1)) return false;
    last_check_ = now;
    const rd_kafka_metadata_t* metadata = nullptr;
    if (rd_kafka_metadata(client, 0, nullptr, &metadata, 100) != RD_KAFKA_RESP_ERR_NO_ERROR) return false;
    rd_kafka_metadata_destroy(metadata);
    down_ = false;
    health_.Up();
    return true;
  }

 private:
  ConnectorHealth health_;
  std::string bootstrap_;
  bool down_ = false;
  std::chrono::steady_clock::time_point last_check_;
};

}  // namespace pipeline::kafka
