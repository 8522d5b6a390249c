// Topic creation through the Admin API (create_topic: {partitions, replication_factor, timeout}). An existing
// topic is fine; a cluster without the Admin API (librdkafka's mock) or without permission gives a clear error
// within the timeout instead of a hang.
#pragma once

#include <librdkafka/rdkafka.h>

#include "connectors/kafka/kafka_sink_settings.h"
#include "core/result.h"

namespace pipeline::kafka {

// Creates settings.topic with settings.create_topic through `client` (any producer or consumer handle).
Status CreateTopic(rd_kafka_t* client, const KafkaSinkSettings& settings);

}  // namespace pipeline::kafka
