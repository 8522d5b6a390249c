// pipe_kafka_consumer_lag{source,topic,partition}: messages between a kafka source's position and each assigned
// partition's end. Computed when /metrics is read (a MetricsRegistry collector) from what librdkafka answers on any
// thread — the assignment, the position after the last message handed to pipe (else the committed offset), the
// high watermark of the last fetch — so it stays current while the source thread waits on a full queue, which is
// when a slow sink makes the lag grow and matter.
#pragma once

#include <librdkafka/rdkafka.h>

#include <cstdint>
#include <string>

namespace pipeline {
class MetricsRegistry;
}

namespace pipeline::kafka {

class ConsumerLagGauges {
 public:
  // from_earliest: where a partition without a committed offset starts (auto.offset.reset).
  ConsumerLagGauges(std::string source, MetricsRegistry& metrics, rd_kafka_t* consumer, bool from_earliest);
  ~ConsumerLagGauges();  // before the consumer goes: waits out a /metrics read that is computing the lag
  ConsumerLagGauges(const ConsumerLagGauges&) = delete;
  ConsumerLagGauges& operator=(const ConsumerLagGauges&) = delete;

 private:
  void Refresh();

  std::string source_;
  MetricsRegistry& metrics_;
  rd_kafka_t* consumer_;
  bool from_earliest_;
  uint64_t collector_;
};

}  // namespace pipeline::kafka
