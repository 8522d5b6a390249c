// End of a query: encodes rows in the sink's formats and appends them to the engine's output, deletes as
// tombstones (null value), windowed keys with their window bounds.
#pragma once

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

 private:
  SourceDef def_;
  RowEncoder encoder_;
  int timestamp_slot_ = -1;  // WITH (TIMESTAMP='col'): the record time comes from this output column
};

}  // namespace pipeline::sql
