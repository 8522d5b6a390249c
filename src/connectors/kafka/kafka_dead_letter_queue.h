// KafkaDeadLetterQueue: dead letters to a Kafka topic (`dead_letter_path: kafka://host:9092,host2:9092/topic`),
// one message per envelope (plugin/dead_letter.h), keyed by the failed record's key. Write() hands the envelope to
// librdkafka; Sync() waits until every envelope written so far is acknowledged by the brokers (acks=all,
// idempotent), so callers release the failed records' acknowledgements only after that, as with the file target.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"
#include "plugin/dead_letter.h"

namespace pipeline::kafka {

// `address`: "<bootstrap servers>/<topic>". A ConfigError when either part is missing; no connection yet.
Result<std::shared_ptr<DeadLetterQueue>> OpenKafkaDeadLetterQueue(const std::string& address);

}  // namespace pipeline::kafka
