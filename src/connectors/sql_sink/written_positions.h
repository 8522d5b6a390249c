// WrittenPositions: `exactly_once`'s bookkeeping, without SQL. Per source lane, the position of the last record a
// committed flush wrote (as a `pipe_offsets` table stores it), and the positions the flush under way writes. After
// a restart the sink skips records at or below the committed position of their lane, so a replayed record is
// written once even in insert mode (the source's positions must be stable, as a file's or a Kafka partition's are).
#pragma once

#include "core/position.h"

namespace pipeline::sql_sink {

class WrittenPositions {
 public:
  // What the offsets table holds: replaces what was known.
  void Loaded(LanePositions committed) { committed_ = std::move(committed); }
  // True when the record at `position` was committed by an earlier flush.
  bool Committed(const Position& position) const;
  // Notes `position` as written by the flush under way.
  void Note(const Position& position);
  // The positions the flush under way writes, one per lane: what it stores in its transaction.
  const LanePositions& noted() const { return noted_; }
  // The flush committed (true) or was rolled back (false).
  void Finish(bool committed);

 private:
  LanePositions committed_;
  LanePositions noted_;
};

}  // namespace pipeline::sql_sink
