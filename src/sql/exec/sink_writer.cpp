#include "sql/exec/sink_writer.h"

namespace pipeline::sql {

void SinkWriter::Push(Change change) {
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
  ctx->out->push_back(std::move(e));
}

}  // namespace pipeline::sql
