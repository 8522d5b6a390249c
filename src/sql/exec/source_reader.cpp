#include "sql/exec/source_reader.h"

#include "sql/exec/row_key.h"
#include "sql/exec/row_state.h"

namespace pipeline::sql {

SourceReader::SourceReader(const SourceDef& def) : def_(def), decoder_(def), key_count_(def.key_count()) {
  if (!def.timestamp_column.empty()) timestamp_slot_ = def.FindColumn(def.timestamp_column);
}

std::optional<int64_t> ParseWithPattern(const std::string& text, const std::string& pattern) {
  int y = 1970, mo = 1, d = 1, h = 0, mi = 0, s = 0, ms = 0;
  int64_t offset_min = 0;
  size_t ti = 0;
  for (size_t pi = 0; pi < pattern.size();) {
    char c = pattern[pi];
    if (c == '\'') {
      size_t end = pattern.find('\'', pi + 1);
      if (end == std::string::npos) return std::nullopt;
      size_t len = end - pi - 1;
      if (text.compare(ti, len, pattern, pi + 1, len) != 0) return std::nullopt;
      ti += len;
      pi = end + 1;
      continue;
    }
    size_t run = 1;
    while (pi + run < pattern.size() && pattern[pi + run] == c) ++run;
    if (std::isalpha(static_cast<unsigned char>(c))) {
      if (c == 'X' || c == 'Z') {
        if (ti < text.size() && text[ti] == 'Z') { ++ti; pi += run; continue; }
        if (ti >= text.size() || (text[ti] != '+' && text[ti] != '-')) return std::nullopt;
        int sign = text[ti] == '-' ? -1 : 1;
        ++ti;
        int hh = 0, mm = 0, n = 0;
        while (ti < text.size() && std::isdigit(static_cast<unsigned char>(text[ti])) && n < 2) { hh = hh * 10 + (text[ti++] - '0'); ++n; }
        if (ti < text.size() && text[ti] == ':') ++ti;
        n = 0;
        while (ti < text.size() && std::isdigit(static_cast<unsigned char>(text[ti])) && n < 2) { mm = mm * 10 + (text[ti++] - '0'); ++n; }
        offset_min = sign * (hh * 60 + mm);
        pi += run;
        continue;
      }
      size_t max_digits = (c == 'y' && run <= 2) ? 2 : (c == 'y' ? 4 : run == 1 ? 2 : run);
      if (c == 'S') max_digits = run;
      int v = 0;
      size_t n = 0;
      while (ti < text.size() && n < max_digits && std::isdigit(static_cast<unsigned char>(text[ti]))) {
        v = v * 10 + (text[ti++] - '0');
        ++n;
      }
      if (n == 0) return std::nullopt;
      switch (c) {
        case 'y': case 'u': y = (run == 2 ? 2000 + v : v); break;
        case 'M': mo = v; break;
        case 'd': d = v; break;
        case 'H': case 'k': h = v; break;
        case 'h': h = v; break;
        case 'm': mi = v; break;
        case 's': s = v; break;
        case 'S': { int scale = static_cast<int>(n); while (scale < 3) { v *= 10; ++scale; } while (scale > 3) { v /= 10; --scale; } ms = v; break; }
        default: break;
      }
      pi += run;
    } else {
      if (ti >= text.size() || text[ti] != c) return std::nullopt;
      ++ti;
      ++pi;
    }
  }
  if (ti != text.size()) return std::nullopt;
  return DaysFromCivil(y, mo, d) * 86400000LL + ((h * 60LL + mi) * 60 + s) * 1000 + ms - offset_min * 60000;
}

bool SourceReader::ExtractTimestamp(Row& row, std::string& error) const {
  if (timestamp_slot_ < 0) return true;
  const Value& v = row.values[timestamp_slot_];
  if (v.is_null()) {
    error = "timestamp column " + def_.timestamp_column + " is null";
    return false;
  }
  if (v.is_int()) { row.rowtime = v.as_int(); return true; }
  if (v.kind() == Value::Kind::kTimestamp) { row.rowtime = v.as_timestamp().millis; return true; }
  if (v.is_string()) {
    auto t = def_.timestamp_format.empty() ? ParseTimestamp(v.as_string()) : ParseWithPattern(v.as_string(), def_.timestamp_format);
    if (!t) {
      error = "cannot parse timestamp '" + v.as_string() + "' with format '" + def_.timestamp_format + "'";
      return false;
    }
    row.rowtime = *t;
    return true;
  }
  error = "unsupported timestamp column value " + v.ToString();
  return false;
}

void SourceReader::Ingest(const Record& record) {
  Change c;
  c.row.values.resize(def_.columns.size());
  c.row.rowtime = record.timestamp;
  c.row.partition = record.partition < 0 ? 0 : record.partition;
  c.row.offset = record.offset;
  c.row.key_absent = record.key.is_null();
  if (def_.window_type != WindowType::kNone) c.row.window = record.window;
  std::string error;
  if (!decoder_.DecodeKey(record.key, c.row, error)) {
    ctx->ReportError(error);
    return;
  }
  bool tombstone = record.value.is_null() && def_.formats.value != "NONE";
  if (tombstone) {
    // A null value on a stream still flows (ksqlDB projects it to a null value); on a table it deletes.
    c.tombstone = true;
  } else if (!decoder_.DecodeValue(record, c.row, error) || !ExtractTimestamp(c.row, error)) {
    ctx->ReportError(error);
    return;
  }
  if (c.row.rowtime > stream_time_) stream_time_ = c.row.rowtime;
  if (def_.is_table) {
    bool null_key = true;
    for (int i = 0; i < key_count_; ++i) null_key &= c.row.values[i].is_null();
    if (null_key && key_count_ > 0) {
      ctx->ReportError("table row with a NULL key is dropped");
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
