// The Elasticsearch sink's reading of a `_bulk` answer (connectors/elasticsearch/bulk_response.h): the body
// parsed against the number of items sent, then each item's fate decided for every operation and its refusal
// worded, as the sink does for a dead letter. The input's first byte is the number of items sent.
#include <cstdint>
#include <string_view>

#include "connectors/elasticsearch/bulk_response.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pipeline::elasticsearch;
  if (size == 0) return 0;
  const size_t expected = data[0] % 16;
  auto items = ReadBulkResponse(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1), expected);
  if (!items.ok()) return 0;
  if (items->size() != expected) __builtin_trap();  // the sink pairs items with documents by index
  for (const auto& item : *items) {
    for (BulkOp op : {BulkOp::kIndex, BulkOp::kCreate, BulkOp::kUpdate, BulkOp::kDelete}) {
      (void)FateOf(item, op, false);
      (void)FateOf(item, op, true);
    }
    (void)RefusalMessage(item);
  }
  return 0;
}
