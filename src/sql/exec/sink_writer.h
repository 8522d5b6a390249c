// End of a query: appends its rows to the engine's output as records in the sink's formats, deletes as
// tombstones (null value), windowed keys with their window bounds. A record's key and value are encoded once the
// queries chained to the topic have taken the row itself (see WrittenRow).
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "sql/binder/catalog.h"
#include "sql/exec/operator.h"
#include "sql/exec/serde.h"
#include "sql/exec/source_reader.h"

namespace pipeline::sql {

class SinkWriter final : public Operator {
 public:
  explicit SinkWriter(const SourceDef& def);
  void Push(Change change) override;
  void Advance(int64_t) override {}
  // The end of a pushed batch: the next change of a key no longer supersedes one written before.
  void EndBatch();
  // Fills the key and value of `record`, the record of `written`; `take` moves the row's values into it.
  void Encode(WrittenRow& written, Record& record, bool take) const;
  // How rows of this sink go straight into `reader` (see RowMapping); null when they go through the record.
  const RowMapping* MappingTo(const SourceReader& reader);
  // Readers may have been replaced or dropped: mappings are built again when next needed.
  void ForgetMappings() { mappings_.clear(); }

  // Nobody outside the engine reads this sink's topic: its records need no key and value (Engine::SetUnreadTopics).
  bool unread = false;

 private:
  void Write(Change&& change);
  std::optional<int64_t> RecordTime(const Change& change);

  SourceDef def_;
  // Coalescing table changes: per key (and window), where in ctx->written its latest change of the batch is.
  std::unordered_map<std::string, size_t> latest_written_;
  std::string id_;  // scratch: the key of the change being pushed
  RowEncoder encoder_;
  int timestamp_slot_ = -1;  // WITH (TIMESTAMP='col'): the record time comes from this output column
  std::shared_ptr<const JavaTimeFormat> timestamp_format_;  // WITH (TIMESTAMP_FORMAT=...), compiled once
  std::vector<std::pair<const SourceReader*, std::optional<RowMapping>>> mappings_;  // per reader fed so far
};

}  // namespace pipeline::sql
