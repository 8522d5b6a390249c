#include "sql/exec/sink_writer.h"

#include "sql/exec/row_key.h"
#include "formats/java_time_format.h"

namespace pipeline::sql {

// With the record cache, a table's changes still go out at once, so that the queries reading the table (its store,
// in Kafka Streams) see every change in order and their answer does not depend on the batch size; only the caller
// gets the last change per key of the batch (EncodeWritten drops the ones superseded), as the cache forwards it.
void SinkWriter::Push(Change change) {
  if (!def_.is_table || !ctx->coalesce_table_changes || !ctx->written) {
    Write(std::move(change));
    return;
  }
  id_.clear();
  AppendKeyOf(change.row.values, 0, static_cast<size_t>(def_.key_count()), id_);
  if (change.row.window) AppendKeyBytes(Value(change.row.window->start), id_);
  Write(std::move(change));
  const size_t latest = ctx->written->size() - 1;
  auto [it, first] = latest_written_.try_emplace(id_, latest);
  if (first) return;
  (*ctx->written)[it->second].superseded = true;
  it->second = latest;
}

void SinkWriter::EndBatch() { latest_written_.clear(); }

SinkWriter::SinkWriter(const SourceDef& def) : def_(def), encoder_(def) {
  if (!def.timestamp_column.empty()) timestamp_slot_ = def.FindColumn(def.timestamp_column);
  if (!def.timestamp_format.empty())
    if (auto format = CachedTimeFormat(def.timestamp_format); format.ok()) timestamp_format_ = *format;
}

// WITH (TIMESTAMP=...) on a created stream or table: the record time is the column's, as ksqlDB's sink sets it. A
// value that gives no valid time (one that does not parse, or a negative one) drops the row with a processing
// error, as ksqlDB does; NULL keeps the row's own time.
std::optional<int64_t> SinkWriter::RecordTime(const Change& change) {
  if (timestamp_slot_ < 0 || change.tombstone) return change.row.rowtime;
  const Value& v = change.row.values[timestamp_slot_];
  if (v.is_null()) return change.row.rowtime;
  std::string error;
  std::optional<int64_t> t =
      TimestampFromColumn(v, def_.timestamp_column, def_.timestamp_format, timestamp_format_.get(), error);
  if (t && *t < 0) error = "timestamp column " + def_.timestamp_column + " is negative: " + std::to_string(*t);
  if (!error.empty()) {
    ctx->ReportDropped(error + ": the row is dropped");
    return std::nullopt;
  }
  return t;
}

// The record goes out now; its key and value are filled in by Encode (see WrittenRow).
// Both are built in place: an Emitted is a whole Record, and moving one costs more than filling it.
void SinkWriter::Write(Change&& change) {
  std::optional<int64_t> time = RecordTime(change);
  if (!time) return;
  Emitted& e = ctx->out->emplace_back();
  e.topic = def_.topic;
  e.record.topic = def_.topic;
  e.record.timestamp = *time;
  e.record.window = change.row.window;
  if (change.row.headers) e.record.headers = *change.row.headers;
  const size_t index = ctx->out->size() - 1;
  if (!ctx->written) {
    WrittenRow written{index, std::move(change.row), change.tombstone, this};
    Encode(written, e.record, true);
    return;
  }
  WrittenRow& written = ctx->written->emplace_back();
  written.index = index;
  written.row = std::move(change.row);
  written.tombstone = change.tombstone;
  written.writer = this;
}

void SinkWriter::Encode(WrittenRow& written, Record& record, bool take) const {
  written.encoded = true;
  if (!take) {
    record.key = encoder_.EncodeKey(written.row);
    if (!written.tombstone) record.value = encoder_.EncodeValue(written.row);
    return;
  }
  // Key and value slots are distinct, so taking the key's values leaves the value's in place.
  record.key = encoder_.EncodeKey(std::move(written.row));
  if (!written.tombstone) record.value = encoder_.EncodeValue(std::move(written.row));
}

const RowMapping* SinkWriter::MappingTo(const SourceReader& reader) {
  for (const auto& [r, mapping] : mappings_)
    if (r == &reader) return mapping ? &*mapping : nullptr;
  mappings_.emplace_back(&reader, RowMapping::Between(def_, reader.def(), reader.decoder()));
  return mappings_.back().second ? &*mappings_.back().second : nullptr;
}

}  // namespace pipeline::sql
