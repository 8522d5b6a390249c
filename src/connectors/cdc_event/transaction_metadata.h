// `transaction_metadata: true`, as Debezium's provide.transaction.metadata: a BEGIN and an END record around the
// changes of each transaction, on the topic <topic_prefix>.transaction, keyed by {id}, with the value
//   {status: BEGIN|END, id, event_count, data_collections: [{data_collection, event_count}], ts_ms}
// (event_count and data_collections are null on BEGIN), and in each debezium change event the block
//   transaction: {id, total_order, data_collection_order}
// (1-based: the change's place among all of the transaction's changes, and among those of its table). A
// transaction without a captured change gets no markers. A source feeds one transaction at a time.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/record.h"

namespace pipeline::cdc {

class TransactionMetadata {
 public:
  explicit TransactionMetadata(std::string topic_prefix) : prefix_(std::move(topic_prefix)) {}

  bool open() const { return !id_.empty(); }
  // The BEGIN record of transaction `id`, committed at `ts_ms` (epoch milliseconds).
  Record Begin(std::string id, int64_t ts_ms);
  // Counts a change `record` (topic <prefix>.<data collection>) and, for the debezium envelope, fills its
  // `transaction` block.
  void Annotate(Record& record);
  // The END record with the counts; the transaction is closed.
  Record End(int64_t ts_ms);
  // The transaction will be read again (a lost connection): forget it.
  void Reset();

 private:
  Record Marker(const char* status, Value event_count, Value data_collections, int64_t ts_ms) const;

  std::string prefix_;
  std::string id_;
  int64_t total_ = 0;
  std::vector<std::pair<std::string, int64_t>> per_collection_;  // in the order first seen
};

}  // namespace pipeline::cdc
