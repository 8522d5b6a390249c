// Source: where records enter a pipeline. Implementations: connectors/<name>/.
//
// Threading: all methods run on the source's own thread. Read() must return within ~100 ms when there is no
// data (kIdle) so that shutdown and commits stay responsive; it must honour the stop token.
//
// Positions (core/position.h): each record a source reads carries its Position, and each batch carries in
// Batch::progress, per lane it advanced, where the source resumes once the batch is delivered. The runtime keeps
// the ledger (runtime/position_ledger.h): when every batch up to some point is acknowledged by every sink, it
// calls Commit() with each lane's resume position. A Read() may return a batch of progress alone (a keepalive's
// position while nothing is captured, the position past records that were skipped): it is acknowledged as soon
// as everything before it is. While downstream is full the runtime holds the batch and calls Service() about
// every 100 ms, so a source can answer its server's keepalives; Commit() keeps being called meanwhile.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "core/field_demand.h"
#include "core/position.h"
#include "core/record.h"
#include "core/result.h"
#include "plugin/health.h"

namespace pipeline {

class CheckpointStore;
class MetricsRegistry;

struct SourceContext {
  std::string name;                 // the stream name in the pipeline file
  std::string state_dir;            // where this pipeline keeps checkpoints
  CheckpointStore* checkpoints = nullptr;
  MetricsRegistry* metrics = nullptr;
  // Say when the server cannot be reached (and when it is back) beyond what a failed Open/Read tells: /readyz.
  ConnectorHealth health;
  // Blocks until every batch emitted so far is acknowledged by all sinks (or timeout); used before giving up
  // a Kafka partition on rebalance. Returns true if everything was acknowledged.
  std::function<bool(std::chrono::milliseconds)> wait_all_acked;
  // The resume position of every lane whose batches are all acknowledged by now (the ledger's view; the same
  // positions Commit() receives). For a source that must commit outside Commit(): a Kafka rebalance.
  std::function<const LanePositions&()> acknowledged;
  // Lanes the source gave up (Kafka partitions revoked): the ledger forgets their pending progress.
  std::function<void(const std::vector<LaneId>&)> forget_lanes;
  // The top-level value fields anything downstream reads: a decoder may skip the others.
  FieldDemand value_demand = FieldDemand::All();
  // Read from the beginning of the input again, as if no position had been saved: a SQL stage rebuilds its state
  // after its statements changed (on_state_change: rebuild). Set only for a source whose ReplaysFromStart() is
  // true; LoadCheckpoint() then finds nothing, and a source whose position lives elsewhere (a Kafka consumer
  // group's offsets) starts each lane at its first record once.
  bool from_start = false;
  // The last checkpoint this source saved (opaque text), if any.
  std::optional<std::string> LoadCheckpoint() const;
  // Where that checkpoint is kept, for messages ("the state dir" when there is no store).
  std::string CheckpointFile() const;
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
  // Appends the next records to `out`, and sets out.progress for the lanes they advance (see above).
  virtual Result<ReadStatus> Read(Batch& out, std::stop_token stop) = 0;
  // Everything up to `acknowledged` (per lane, the resume position) was delivered by every sink: persist it.
  // Lanes not in the map have nothing acknowledged yet (or were forgotten).
  virtual Status Commit(const LanePositions& acknowledged) = 0;
  // Called about every 100 ms while a batch this source read waits for room downstream: answer the server's
  // keepalives, send feedback. Must not block for long; an error fails the pipeline like one from Read().
  virtual Status Service(std::stop_token) { return {}; }
  // True when a record's Position names the same record again after the source resumes from a checkpoint
  // (Kafka offsets; byte offsets of a file, identified by its inode). Stateful SQL then skips the replayed records its
  // saved state already holds (exactly-once state); otherwise replayed records count again (at-least-once).
  virtual bool StablePositions() const { return false; }
  // True when it can read its input again from the first record, with the same positions (a file from byte 0, a
  // Kafka topic from its earliest retained offset), when SourceContext::from_start asks it to.
  virtual bool ReplaysFromStart() const { return false; }
  virtual void Close() = 0;
};

}  // namespace pipeline
