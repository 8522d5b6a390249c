#include "connectors/sql_sink/written_positions.h"

#include <algorithm>

namespace pipeline::sql_sink {

bool WrittenPositions::Committed(const Position& position) const {
  if (!position.valid()) return false;  // a record without a position is never taken for a repeat
  auto it = committed_.find(position.lane);
  return it != committed_.end() && position <= it->second;
}

void WrittenPositions::Note(const Position& position) {
  if (!position.valid()) return;
  auto [it, added] = noted_.emplace(position.lane, position);
  if (!added && it->second < position) it->second = position;
}

void WrittenPositions::Finish(bool committed) {
  if (committed)
    for (const auto& [lane, position] : noted_) committed_[lane] = std::max(committed_[lane], position);
  noted_.clear();
}

}  // namespace pipeline::sql_sink
