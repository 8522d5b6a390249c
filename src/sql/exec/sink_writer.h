// End of a query: encodes rows in the sink's formats and appends them to the engine's output, deletes as
// tombstones (null value), windowed keys with their window bounds.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "sql/binder/catalog.h"
#include "sql/exec/operator.h"
#include "sql/exec/serde.h"

namespace pipeline::sql {

class SinkWriter final : public Operator {
 public:
  explicit SinkWriter(const SourceDef& def) : def_(def), encoder_(def) {
    if (!def.timestamp_column.empty()) timestamp_slot_ = def.FindColumn(def.timestamp_column);
  }
  void Push(Change change) override;
  void Advance(int64_t) override {}
  // Writes the changes held back by coalescing (the end of a pushed batch).
  void Flush();

 private:
  void Write(const Change& change);

  SourceDef def_;
  // Coalescing table changes: the latest change per key (and window), in order of each key's first change.
  std::unordered_map<std::string, size_t> pending_index_;
  std::vector<Change> pending_;
  std::string id_;  // scratch: the key of the change being pushed
  RowEncoder encoder_;
  int timestamp_slot_ = -1;  // WITH (TIMESTAMP='col'): the record time comes from this output column
};

}  // namespace pipeline::sql
