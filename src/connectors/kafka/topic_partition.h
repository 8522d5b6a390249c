// TopicPartition: a Kafka partition by name, and the offsets to commit per partition.
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <string>

namespace pipeline::kafka {

struct TopicPartition {
  std::string topic;
  int32_t partition = 0;
  auto operator<=>(const TopicPartition&) const = default;
};

// The offset to commit: the next message to read (last read + 1), as Kafka expects.
using CommitOffsets = std::map<TopicPartition, int64_t>;

}  // namespace pipeline::kafka
