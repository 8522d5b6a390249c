// Reading a `_bulk` answer: one result per item, in request order, and what becomes of each record.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "connectors/elasticsearch/bulk_item.h"
#include "core/result.h"

namespace pipeline::elasticsearch {

struct ItemResult {
  int status = 0;
  std::string result;        // created, updated, deleted, not_found, noop
  std::string error_type;    // mapper_parsing_exception, version_conflict_engine_exception, ...
  std::string error_reason;  // the server's words, for the dead letter
};

// The items of a `_bulk` response body. An answer that is not one (not JSON, no items, a count different from
// the `expected` items sent) is an error: the sink cannot tell which documents were written.
Result<std::vector<ItemResult>> ReadBulkResponse(std::string_view body, size_t expected);

enum class ItemFate {
  kDelivered,  // written, or a state at least as new is there (a delete of a missing document, an older version)
  kRetry,      // 429 or 5xx: sent again, alone
  kRejected,   // any other 4xx: this document will never be accepted as it is
};

ItemFate FateOf(const ItemResult& item, BulkOp op, bool external_versions);

// "elasticsearch refused the document (400 mapper_parsing_exception): failed to parse field [n] ..."
std::string RefusalMessage(const ItemResult& item);

}  // namespace pipeline::elasticsearch
