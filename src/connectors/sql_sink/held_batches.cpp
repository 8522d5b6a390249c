#include "connectors/sql_sink/held_batches.h"

namespace pipeline::sql_sink {
namespace {

// About how many bytes a value takes written out (text and bytes by their length, other scalars 8): what counts
// toward batch.max_bytes without encoding the records.
size_t ApproximateBytes(const Value& v) {
  size_t n = 0;
  switch (v.kind()) {
    case Value::Kind::kString:
      return v.as_string().size();
    case Value::Kind::kBytes:
      return v.as_bytes().data.size();
    case Value::Kind::kArray:
      for (const Value& item : v.as_array()) n += ApproximateBytes(item);
      return n;
    case Value::Kind::kMap:
      for (const auto& [key, value] : v.as_map()) n += ApproximateBytes(key) + ApproximateBytes(value);
      return n;
    case Value::Kind::kStruct:
      for (const Value& field : v.as_struct().values) n += ApproximateBytes(field);
      return n;
    default:
      return 8;
  }
}

}  // namespace

void HeldBatches::Add(BatchPtr batch) {
  if (!batches_.empty() && batches_.back() == batch) return;
  if (batches_.empty()) oldest_ = std::chrono::steady_clock::now();
  records_ += batch->size();
  for (const Record& r : batch->records) bytes_ += ApproximateBytes(r.key) + ApproximateBytes(r.value);
  batches_.push_back(std::move(batch));
}

bool HeldBatches::Full(const BatchLimits& limits) const {
  return !batches_.empty() && (records_ >= limits.max_records || bytes_ >= limits.max_bytes ||
                               std::chrono::steady_clock::now() - oldest_ >= limits.max_age);
}

void HeldBatches::Clear() {
  batches_.clear();
  records_ = bytes_ = 0;
}

}  // namespace pipeline::sql_sink
