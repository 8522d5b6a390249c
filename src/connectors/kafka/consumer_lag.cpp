#include "connectors/kafka/consumer_lag.h"

#include "connectors/kafka/kafka_handles.h"
#include "observability/metrics.h"

namespace pipeline::kafka {

namespace {
constexpr int kCommittedTimeoutMs = 2000;
}  // namespace

ConsumerLagGauges::ConsumerLagGauges(std::string source, MetricsRegistry& metrics, rd_kafka_t* consumer,
                                     bool from_earliest)
    : source_(std::move(source)), metrics_(metrics), consumer_(consumer), from_earliest_(from_earliest) {
  collector_ = metrics_.AddCollector([this] { Refresh(); });
}

ConsumerLagGauges::~ConsumerLagGauges() { metrics_.RemoveCollector(collector_); }

void ConsumerLagGauges::Refresh() {
  rd_kafka_topic_partition_list_t* assignment = nullptr;
  if (rd_kafka_assignment(consumer_, &assignment) != RD_KAFKA_RESP_ERR_NO_ERROR) return;
  PartitionList owned(assignment);
  if (rd_kafka_position(consumer_, owned.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) return;
  // A partition nothing was handed to pipe from yet starts at the group's committed offset (one request for
  // them all), or where auto.offset.reset says without one.
  PartitionList unread(rd_kafka_topic_partition_list_new(0));
  for (int i = 0; i < owned->cnt; ++i)
    if (owned->elems[i].offset < 0)
      rd_kafka_topic_partition_list_add(unread.get(), owned->elems[i].topic, owned->elems[i].partition);
  // Not known now (no answer in time): those partitions keep their last value.
  const bool committed_known =
      unread->cnt > 0 && rd_kafka_committed(consumer_, unread.get(), kCommittedTimeoutMs) == RD_KAFKA_RESP_ERR_NO_ERROR;
  for (int i = 0; i < owned->cnt; ++i) {
    const rd_kafka_topic_partition_t& tp = owned->elems[i];
    int64_t low = -1, high = -1;
    // Unknown until the partition's first fetch.
    if (rd_kafka_get_watermark_offsets(consumer_, tp.topic, tp.partition, &low, &high) != 0 || high < 0) continue;
    int64_t position = tp.offset;
    if (position < 0) {
      if (!committed_known) continue;
      rd_kafka_topic_partition_t* start = rd_kafka_topic_partition_list_find(unread.get(), tp.topic, tp.partition);
      if (!start) continue;
      position = start->offset >= 0 ? start->offset : from_earliest_ ? low : high;
    }
    if (position < 0) continue;
    metrics_
        .GetGauge("pipe_kafka_consumer_lag",
                  {{"source", source_}, {"topic", tp.topic}, {"partition", std::to_string(tp.partition)}},
                  "Messages between the source's position and the partition's end")
        ->Set(high > position ? high - position : 0);
  }
}

}  // namespace pipeline::kafka
