// The held batches of a database sink: a retried Write does not hold its batch twice, and the batch option's
// limits say when to write.
#include "connectors/sql_sink/held_batches.h"

#include <doctest/doctest.h>

namespace pipeline::sql_sink {

TEST_CASE("sql sink: a batch brought again by a retried Write is held once; max_records and max_bytes say when") {
  auto batch = std::make_shared<Batch>();
  for (int i = 0; i < 3; ++i) {
    Record r;
    r.value = Value(std::string(100, 'x'));
    batch->records.push_back(std::move(r));
  }
  const BatchLimits records{.max_records = 6, .max_bytes = 1 << 20, .max_age = std::chrono::hours(1)};
  const BatchLimits bytes{.max_records = 1000, .max_bytes = 250, .max_age = std::chrono::hours(1)};
  HeldBatches held;
  CHECK_FALSE(held.Full(records));  // nothing held: nothing to write
  held.Add(batch);
  held.Add(batch);  // the same batch again: its flush failed and the runtime retries the Write
  CHECK(held.batches().size() == 1);
  CHECK_FALSE(held.Full(records));
  CHECK(held.Full(bytes));  // 3 values of ~100 bytes
  held.Add(std::make_shared<Batch>(*batch));
  CHECK(held.Full(records));
  held.Clear();
  CHECK(held.empty());
  CHECK_FALSE(held.Full(bytes));
}

}  // namespace pipeline::sql_sink
