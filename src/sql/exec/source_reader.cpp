#include "sql/exec/source_reader.h"

#include <cctype>

#include "sql/exec/row_key.h"
#include "sql/exec/row_state.h"
#include "formats/java_time_format.h"

namespace pipeline::sql {

SourceReader::SourceReader(const SourceDef& def) : def_(def), decoder_(def), key_count_(def.key_count()) {
  if (!def.timestamp_column.empty()) timestamp_slot_ = def.FindColumn(def.timestamp_column);
  // A bad pattern leaves the format null: every string timestamp then fails to parse, with the pattern shown.
  if (!def.timestamp_format.empty())
    if (auto format = CachedTimeFormat(def.timestamp_format); format.ok()) timestamp_format_ = *format;
}

std::optional<int64_t> TimestampFromColumn(const Value& v, const std::string& column, const std::string& format_text,
                                           const JavaTimeFormat* format, std::string& error) {
  if (v.is_null()) {
    error = "timestamp column " + column + " is null";
    return std::nullopt;
  }
  if (v.is_int()) return v.as_int();
  if (v.kind() == Value::Kind::kTimestamp) return v.as_timestamp().millis;
  if (v.is_string()) {
    std::optional<int64_t> t;
    if (format_text.empty()) {
      t = ParseTimestamp(v.as_string());
    } else if (format) {
      // ksqlDB reads TIMESTAMP_FORMAT with java.time's DateTimeFormatter, in UTC unless the text has a zone.
      if (auto millis = format->ParseEpochMillis(v.as_string(), *UtcTimeZone()); millis.ok()) t = *millis;
    }
    if (!t) error = "cannot parse timestamp '" + v.as_string() + "' with format '" + format_text + "'";
    return t;
  }
  error = "unsupported timestamp column value " + v.ToString();
  return std::nullopt;
}

bool SourceReader::ExtractTimestamp(Row& row, std::string& error) const {
  if (timestamp_slot_ < 0) return true;
  auto t = TimestampFromColumn(row.values[timestamp_slot_], def_.timestamp_column, def_.timestamp_format,
                               timestamp_format_.get(), error);
  if (!t) return false;
  row.rowtime = *t;
  return true;
}

template <typename R>
void SourceReader::Decode(R&& record) {
  Change c;
  c.row.values.resize(def_.columns.size());
  c.row.rowtime = record.timestamp;
  c.row.partition = record.partition < 0 ? 0 : record.partition;
  c.row.offset = record.offset;
  c.row.key_absent = record.key.is_null();
  if (!record.headers.empty()) c.row.headers = std::make_shared<const std::vector<Header>>(record.headers);
  if (def_.window_type != WindowType::kNone) c.row.window = record.window;
  std::string error;
  if (!decoder_.DecodeKey(record.key, c.row, error)) {
    ctx->ReportDropped(error);
    return;
  }
  bool tombstone = record.value.is_null() && def_.formats.value != "NONE";
  if (tombstone) {
    // A null value on a stream still flows (ksqlDB projects it to a null value); on a table it deletes.
    c.tombstone = true;
  } else if (!decoder_.DecodeValue(std::forward<R>(record), c.row, error)) {
    ctx->ReportDropped(error);
    return;
  }
  IngestDecoded(std::move(c));
}

void SourceReader::Ingest(const Record& record) { Decode(record); }
void SourceReader::Ingest(Record&& record) { Decode(std::move(record)); }

void SourceReader::IngestDecoded(Change c) {
  std::string error;
  if (!c.tombstone && !ExtractTimestamp(c.row, error)) {
    ctx->ReportDropped(error);
    return;
  }
  if (c.row.rowtime > stream_time_) stream_time_ = c.row.rowtime;
  if (def_.is_table) {
    bool null_key = true;
    for (int i = 0; i < key_count_; ++i) null_key &= c.row.values[i].is_null();
    if (null_key && key_count_ > 0) {
      // Records from files and stdin have no key: say how to give them one, in the source or in transforms.
      std::string fields;
      for (int i = 0; i < key_count_; ++i) {
        if (i) fields += ", ";
        for (char ch : def_.columns[i].name) fields += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      }
      ctx->ReportDropped("table row with a NULL key is dropped: a table's rows need keys; a file or stdin source "
                       "sets them with key_fields: [" + fields + "] (elsewhere: transforms ValueToKey and "
                       "ExtractField$Key)");
      return;
    }
    std::string key = KeyOf(c.row.values, 0, key_count_);
    if (c.row.window) key += std::to_string(c.row.window->start);
    auto it = table_.find(key);
    if (it != table_.end()) c.old = it->second;
    if (c.tombstone) {
      if (it == table_.end()) return;  // deleting an absent row changes nothing
      table_.erase(it);
    } else {
      table_[key] = c.row;
    }
  }
  next->Push(std::move(c));
  next->Advance(stream_time_);
}

Value SourceReader::SaveState() const { return Value(Array{RowsByKeyState(table_), Value(stream_time_)}); }

void SourceReader::RestoreState(const Value& state) {
  RestoreRowsByKey(state.as_array().at(0), table_);
  stream_time_ = state.as_array().at(1).as_int();
}

}  // namespace pipeline::sql
