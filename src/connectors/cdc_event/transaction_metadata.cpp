#include "connectors/cdc_event/transaction_metadata.h"

#include <algorithm>

#include "connectors/cdc_event/change_event.h"

namespace pipeline::cdc {

Record TransactionMetadata::Begin(std::string id, int64_t ts_ms) {
  id_ = std::move(id);
  total_ = 0;
  per_collection_.clear();
  return Marker("BEGIN", Value(), Value(), ts_ms);
}

void TransactionMetadata::Annotate(Record& record) {
  static const FieldNamesPtr names = MakeFieldNames({"id", "total_order", "data_collection_order"});
  const std::string collection = record.topic.substr(std::min(record.topic.size(), prefix_.size() + 1));
  auto it = std::find_if(per_collection_.begin(), per_collection_.end(),
                         [&](const auto& entry) { return entry.first == collection; });
  if (it == per_collection_.end()) it = per_collection_.insert(per_collection_.end(), {collection, 0});
  ++it->second;
  ++total_;
  Struct* event = record.value.SoleStruct();
  if (!event || !event->names) return;  // the row envelope has no place for the block
  const int at = event->names->IndexOf("transaction");
  if (at < 0) return;
  event->values[static_cast<size_t>(at)] = Value(Struct{names, {Value(id_), Value(total_), Value(it->second)}});
}

Record TransactionMetadata::End(int64_t ts_ms) {
  static const FieldNamesPtr names = MakeFieldNames({"data_collection", "event_count"});
  Array collections;
  for (const auto& [collection, count] : per_collection_)
    collections.push_back(Value(Struct{names, {Value(collection), Value(count)}}));
  Record end = Marker("END", Value(total_), Value(std::move(collections)), ts_ms);
  Reset();
  return end;
}

void TransactionMetadata::Reset() {
  id_.clear();
  total_ = 0;
  per_collection_.clear();
}

Record TransactionMetadata::Marker(const char* status, Value event_count, Value data_collections,
                                   int64_t ts_ms) const {
  static const FieldNamesPtr key_names = MakeFieldNames({"id"});
  static const FieldNamesPtr names = MakeFieldNames({"status", "id", "event_count", "data_collections", "ts_ms"});
  Record r;
  r.topic = prefix_ + ".transaction";
  r.timestamp = ts_ms;
  r.key = Value(Struct{key_names, {Value(id_)}});
  r.value = Value(Struct{names, {Value(status), Value(id_), std::move(event_count), std::move(data_collections),
                                 Value(ts_ms)}});
  return r;
}

}  // namespace pipeline::cdc
