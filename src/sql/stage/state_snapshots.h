// Durable state for the `sql` stage, consistent with its sources' checkpoints: exactly-once state, at-least-once
// output.
//
// The stage's input is cut into epochs (ksqlDB's commit interval). At the end of an epoch the stage seals a
// snapshot: the engine's state after every record so far, and the position of the last record of each source.
// The snapshot is written (atomically, in the state dir) once every output of the epoch and of the epochs before
// it has been flushed by the sinks; only then are the epoch's input records acknowledged. So a source never
// checkpoints past a record whose effect on the state is not on disk, and every record the snapshot holds has its
// output delivered. After a crash a source replays from its checkpoint, which may lie before the snapshot; the
// stage skips the replayed records the snapshot holds (ReplayFilter), when the source's positions name records
// stably (Source::StablePositions); otherwise those records count again, as in Kafka Streams' at-least-once mode.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "core/record.h"
#include "core/result.h"
#include "plugin/snapshot_store.h"

namespace pipeline::sql {

// The whole stage's state in one file, replaced atomically (a scaled-out stage's: connectors/kafka/changelog_store.h).
std::unique_ptr<SnapshotStore> MakeFileSnapshotStore(std::string path);

class StateSnapshots {
 public:
  explicit StateSnapshots(std::unique_ptr<SnapshotStore> store);
  ~StateSnapshots();
  SnapshotStore& store();

  // The token the outputs of the current epoch carry (the epoch starts with the first call).
  const AckToken& EpochToken();
  bool epoch_open() const { return epoch_token_ != nullptr; }
  // Keeps an input batch's tokens until a snapshot holding its effect is on disk.
  void Hold(const std::vector<AckToken>& input_acks);
  // Ends the epoch with the state after it (the tasks that changed); written once the epoch's outputs are flushed.
  void Seal(Snapshot snapshot);
  // A failed write since the last call, if any: the stage fails with it.
  std::optional<std::string> TakeWriteError();

 private:
  struct Shared;
  std::shared_ptr<Shared> shared_;
  AckToken epoch_token_;
  std::vector<AckToken> held_;
};

// The one source every token of a batch comes from, if its positions are stable (Source::StablePositions); else
// null.
const AckTracker* StableOrigin(const std::vector<AckToken>& acks);
// "source, lane" of a record from `origin`: what its Position's value is ordered in.
std::string SourcePositionKey(const AckTracker& origin, const Record& r);

// Positions of the records the state holds, per (source, lane), and after a restore the skipping of
// replayed records at or below them. Only batches whose tokens all come from one source with stable positions
// count; the skipping of a partition ends at its first record past the saved position.
class ReplayFilter {
 public:
  // The records of `batch` the state does not hold yet: `batch.records` itself, or `kept` when some are skipped.
  std::vector<Record>& Admit(Batch& batch, std::vector<Record>& kept);
  Value Save() const;
  void Restore(const Value& saved);
  int64_t skipped() const { return skipped_; }

 private:
  using Value2 = std::pair<int64_t, int64_t>;  // a Position's (major, minor)
  // The position entry of the lane last seen: a batch is mostly one lane.
  struct Cursor {
    LaneId lane = kNoLane;
    std::string key;
    Value2* last = nullptr;
  };
  bool Holds(const AckTracker& origin, const Record& r, Cursor& at);
  std::unordered_map<std::string, Value2> last_;      // key -> last position admitted
  std::unordered_map<std::string, Value2> restored_;  // key -> skip positions at or below, until passed
  int64_t skipped_ = 0;
};

// on_state_change: rebuild. The statements changed, so the inputs are read again from their beginning into a new
// state; the records the previous statements had already taken (the positions their state saved) only build it:
// what they make now was delivered in its old form already, so it is not emitted again. Per (source, lane), until
// the first record past the saved position.
class RebuildFilter {
 public:
  // Positions in ReplayFilter::Save()'s form; restoring twice keeps the higher position of each lane.
  void Restore(const Value& saved);
  bool active() const { return !quiet_.empty(); }
  // Whether the record only builds state. Call once per record, in order.
  bool Quiet(const AckTracker& origin, const Record& r);
  Value Save() const;

 private:
  std::unordered_map<std::string, std::pair<int64_t, int64_t>> quiet_;  // key -> quiet at or below
};

// Scale-out: every repartition record names the input record it came from (SourcePositionKey, position) and its
// index among the repartition records that input made. After a crash the front replays input whose records the
// repartition topic already holds, so one origin can arrive twice, as two messages; a task counts it once, since
// per source partition the origins only grow (one process at a time reads a partition, in order).
class OriginFilter {
 public:
  static void Stamp(Record& repartition_record, const std::string& origin, const Position& at, int64_t index);
  // False for a record whose origin was counted already (or an earlier one of the same source partition).
  bool Admit(const Record& repartition_record);
  Value Save() const;
  void Restore(const Value& saved);
  int64_t skipped() const { return skipped_; }

 private:
  // origin -> (major, minor, index) last counted
  std::unordered_map<std::string, std::tuple<int64_t, int64_t, int64_t>> last_;
  int64_t skipped_ = 0;
};

}  // namespace pipeline::sql
