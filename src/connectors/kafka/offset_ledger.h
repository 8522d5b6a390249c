// OffsetLedger: which Kafka offsets each emitted batch covers, so that the source commits a partition's offset
// only once every batch holding its messages was delivered by all sinks (at-least-once).
//
// Messages are noted as they are read; Seal(seq) closes the current batch. Messages read by a Read() call that
// emitted nothing (skipped, undecodable) ride along with the next sealed batch. The open batch is never
// acknowledged: its records have not even been handed to the runtime yet. Single-threaded (source thread).
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace pipeline::kafka {

struct TopicPartition {
  std::string topic;
  int32_t partition = 0;
  auto operator<=>(const TopicPartition&) const = default;
};

// The offset to commit: the next message to read (last read + 1), as Kafka expects.
using CommitOffsets = std::map<TopicPartition, int64_t>;

class OffsetLedger {
 public:
  // Notes that the message at `offset` was read into the current batch.
  void Note(const std::string& topic, int32_t partition, int64_t offset);
  // Closes the current batch as batch number `seq` (sequence numbers increase by one per emitted batch).
  void Seal(uint64_t seq);
  // Every batch with sequence <= seq is delivered: returns their offsets merged with earlier acknowledged ones.
  const CommitOffsets& Acknowledge(uint64_t seq);
  // Calls f(tp, next_offset) for each partition of the batch being read.
  template <class F>
  void ForEachOpen(F f) const {
    for (const Entry& e : open_) f(e.tp, e.next_offset);
  }
  // Partitions given up in a rebalance: forget their pending offsets (another member owns them now).
  void Forget(const std::set<TopicPartition>& partitions);
  // Offsets acknowledged so far, restricted to `partitions`.
  CommitOffsets AcknowledgedFor(const std::set<TopicPartition>& partitions) const;
  const CommitOffsets& acknowledged() const { return acknowledged_; }
  size_t pending_batches() const { return sealed_.size(); }

 private:
  struct Entry {
    TopicPartition tp;
    int64_t next_offset;
  };
  void Merge(const std::vector<Entry>& entries);

  std::vector<Entry> open_;  // the batch being read
  size_t last_hit_ = 0;      // consecutive messages usually come from the same partition
  std::deque<std::pair<uint64_t, std::vector<Entry>>> sealed_;
  CommitOffsets acknowledged_;
};

}  // namespace pipeline::kafka
