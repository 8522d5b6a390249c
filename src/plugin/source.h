// Source: where records enter a pipeline. Implementations: connectors/<name>/.
//
// Threading: all methods run on the source's own thread. Read() must return within ~100 ms when there is no
// data (kIdle) so that shutdown and commits stay responsive; it must honour the stop token.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>

#include "core/field_demand.h"
#include "core/record.h"
#include "core/result.h"

namespace pipeline {

class CheckpointStore;
class MetricsRegistry;

struct SourceContext {
  std::string name;                 // the stream name in the pipeline file
  std::string state_dir;            // where this pipeline keeps checkpoints
  CheckpointStore* checkpoints = nullptr;
  MetricsRegistry* metrics = nullptr;
  // Blocks until every batch emitted so far is acknowledged by all sinks (or timeout); used before giving up
  // a Kafka partition on rebalance. Returns true if everything was acknowledged.
  std::function<bool(std::chrono::milliseconds)> wait_all_acked;
  // The top-level value fields anything downstream reads: a decoder may skip the others.
  FieldDemand value_demand = FieldDemand::All();
  // The last checkpoint this source saved (opaque text), if any.
  std::optional<std::string> LoadCheckpoint() const;
  // Atomically persists the source's position; call from Commit().
  Status SaveCheckpoint(const std::string& position) const;
};

enum class ReadStatus {
  kMore,  // records were appended (or may follow at once)
  kIdle,  // nothing available right now
  kEnd,   // a finite source is exhausted: no more records ever
};

class Source {
 public:
  virtual ~Source() = default;
  virtual Status Open(SourceContext& ctx) = 0;
  // Appends the next records to `out`. Each call that appends records is one batch for acknowledgement:
  // the n-th such call (1-based) has sequence number n.
  virtual Result<ReadStatus> Read(Batch& out, std::stop_token stop) = 0;
  // Every batch with sequence number <= seq was delivered by every sink: persist the position after it.
  virtual Status Commit(uint64_t seq) = 0;
  // True when a record's (topic, partition, offset) names the same record again after the source resumes from a
  // checkpoint (Kafka offsets; byte offsets of one named file). Stateful SQL then skips the replayed records its
  // saved state already holds (exactly-once state); otherwise replayed records count again (at-least-once).
  virtual bool StablePositions() const { return false; }
  virtual void Close() = 0;
};

}  // namespace pipeline
