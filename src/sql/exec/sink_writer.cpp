#include "sql/exec/sink_writer.h"

#include "sql/exec/row_key.h"

namespace pipeline::sql {

void SinkWriter::Push(Change change) {
  if (!def_.is_table || !ctx->coalesce_table_changes) {
    Write(change);
    return;
  }
  id_.clear();
  AppendKeyOf(change.row.values, 0, static_cast<size_t>(def_.key_count()), id_);
  if (change.row.window) AppendKeyBytes(Value(change.row.window->start), id_);
  auto it = pending_index_.find(id_);
  if (it != pending_index_.end()) {
    pending_[it->second] = std::move(change);
    return;
  }
  pending_index_.emplace(id_, pending_.size());
  pending_.push_back(std::move(change));
}

void SinkWriter::Flush() {
  for (const Change& change : pending_) Write(change);
  pending_.clear();
  pending_index_.clear();
}

void SinkWriter::Write(const Change& change) {
  Emitted e;
  e.topic = def_.topic;
  e.record.topic = def_.topic;
  e.record.key = encoder_.EncodeKey(change.row);
  if (!change.tombstone) e.record.value = encoder_.EncodeValue(change.row);
  e.record.timestamp = change.row.rowtime;
  if (timestamp_slot_ >= 0 && !change.tombstone) {
    const Value& t = change.row.values[timestamp_slot_];
    if (t.is_int()) e.record.timestamp = t.as_int();
    else if (t.kind() == Value::Kind::kTimestamp) e.record.timestamp = t.as_timestamp().millis;
  }
  e.record.window = change.row.window;
  if (change.row.headers) e.record.headers = *change.row.headers;
  ctx->out->push_back(std::move(e));
}

}  // namespace pipeline::sql
