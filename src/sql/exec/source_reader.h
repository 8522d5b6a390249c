// Entry of a query: turns records of a topic into rows of the declared schema (deserialization errors are
// reported and the record skipped), takes ROWTIME from the TIMESTAMP column when one is declared, and for
// tables keeps the latest row per key so that changes carry the row they replace.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <unordered_map>

#include "sql/binder/catalog.h"
#include "sql/exec/operator.h"
#include "sql/exec/serde.h"

namespace pipeline {
class JavaTimeFormat;
}

namespace pipeline::sql {

// The record time a TIMESTAMP column's value gives (WITH (TIMESTAMP=..., TIMESTAMP_FORMAT=...)): a BIGINT or
// TIMESTAMP as is, a string parsed with `format` (or as an ISO timestamp when `format_text` is empty); nullopt with
// `error` set for a NULL, a string that does not parse, or another type. Shared by sources and sinks.
std::optional<int64_t> TimestampFromColumn(const Value& v, const std::string& column, const std::string& format_text,
                                           const JavaTimeFormat* format, std::string& error);

class SourceReader {
 public:
  explicit SourceReader(const SourceDef& def);
  void Ingest(const Record& record);
  // The same for a record the caller gives up: its value's fields are moved into the row where only it holds them.
  void Ingest(Record&& record);
  // A change already in this source's layout (a row a chained query wrote, see RowMapping): Ingest after decoding.
  void IngestDecoded(Change c);
  const SourceDef& def() const { return def_; }
  const RowDecoder& decoder() const { return decoder_; }
  // Only these value columns (upper-case names) are read by the query: see RowDecoder::DecodeOnly.
  void DecodeOnly(const std::set<std::string>& used) { decoder_.DecodeOnly(used); }
  Operator* next = nullptr;
  QueryContext* ctx = nullptr;
  // Stream time: the largest ROWTIME seen.
  int64_t stream_time() const { return stream_time_; }
  // Snapshots: a table's rows per key, and the stream time.
  bool HasState() const { return def_.is_table; }
  Value SaveState() const;
  void RestoreState(const Value& state);

 private:
  bool ExtractTimestamp(Row& row, std::string& error) const;
  template <typename R>  // const Record& or Record&&
  void Decode(R&& record);
  SourceDef def_;
  RowDecoder decoder_;
  int key_count_;
  int timestamp_slot_ = -1;
  std::shared_ptr<const JavaTimeFormat> timestamp_format_;  // TIMESTAMP_FORMAT, compiled once
  std::unordered_map<std::string, Row> table_;
  int64_t stream_time_ = INT64_MIN;
};

}  // namespace pipeline::sql
