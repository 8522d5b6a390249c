// One record as a `_bulk` item: its action line and document line (NDJSON), built by the sink when a batch is
// written. Records that cannot become a document (no key for `id: key`, an index name Elasticsearch refuses, a
// tombstone with nothing to delete) are a DataError that names why, for the sink to reject.
#pragma once

#include <cstdint>
#include <random>
#include <string>

#include "connectors/elasticsearch/elasticsearch_settings.h"
#include "core/record.h"
#include "core/result.h"

namespace pipeline::elasticsearch {

enum class BulkOp { kIndex, kCreate, kUpdate, kDelete };

struct BulkItem {
  BulkOp op = BulkOp::kIndex;
  std::string index;
  std::string id;
  std::string lines;  // the action line and, except for delete, the document line; each ends with '\n'
};

// The external version of a record at `position`: major << 20 | minor, so that within one lane a later position
// is a higher version (composite positions included: an LSN and the change's index in its transaction).
Result<int64_t> ExternalVersion(const Position& position);

// Why Elasticsearch would refuse `name` as an index name, or "" when it accepts it.
std::string IndexNameProblem(const std::string& name);

class BulkItemBuilder {
 public:
  explicit BulkItemBuilder(const ElasticsearchSettings& settings);
  Result<BulkItem> Build(const Record& record);

 private:
  Result<std::string> DocumentId(const Record& record);
  std::string NextAutoId();

  const ElasticsearchSettings& settings_;
  std::string auto_id_prefix_;  // random per sink instance, so two processes never assign the same id
  uint64_t auto_id_counter_ = 0;
};

}  // namespace pipeline::elasticsearch
