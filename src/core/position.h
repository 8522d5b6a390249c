// Position: where a record sits in its source, as a (lane, value) pair. A lane is whatever has one order of its
// own — a Kafka partition, one file, a PostgreSQL slot, a MariaDB GTID domain — and within a lane values are
// ordered. A value is two integers compared in order (major, minor), enough for composite positions: a Kafka
// offset (minor 0), a byte offset, an LSN plus the index of a change inside its transaction, a binlog
// (file number << 32 | offset) plus the rows of its event already delivered. Each connector's README states
// its encoding.
//
// Lanes are interned once per process (a handful per source), so a record carries 20 bytes of position, not a
// string. Positions travel with records (Record::position) and a batch carries, per lane, where its source
// resumes after it (Batch::progress): the runtime's ledger turns acknowledged batches into those resume points.
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace pipeline {

using LaneId = uint32_t;
constexpr LaneId kNoLane = 0;

// The process-wide lane names. Thread-safe; a name keeps its id (and the reference to it stays valid) for the
// life of the process.
class Lanes {
 public:
  static LaneId Intern(std::string_view name);
  static const std::string& Name(LaneId lane);  // "" for kNoLane
};

struct Position {
  LaneId lane = kNoLane;
  int64_t major = -1;
  int64_t minor = 0;

  bool valid() const { return lane != kNoLane; }
  // Within one lane: earlier positions compare less. Across lanes the order is meaningless but total.
  auto operator<=>(const Position&) const = default;
  bool operator==(const Position&) const = default;

  // "<lane>@<major>" or "<lane>@<major>.<minor>"; "" when there is none. Parse reads that form back.
  std::string ToString() const;
  static std::optional<Position> Parse(std::string_view text);
};

// Per lane, one position: what a source resumes from (the runtime's acknowledged progress).
using LanePositions = std::map<LaneId, Position>;

}  // namespace pipeline
