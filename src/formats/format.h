// Record formats: bytes <-> Record value. `json` (simdjson), `csv` (CsvOptions), `lines` (the
// raw text as a string field named `message`, as Vector and Logstash do), `dead_letter` (dead-letter envelopes
// read back as the records they hold; decoding only).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/field_demand.h"
#include "core/record.h"
#include "core/result.h"

namespace pipeline {

class Decoder {
 public:
  virtual ~Decoder() = default;
  // Decodes one unit (a line for line-oriented input) into record.value. A DataError describes what is wrong;
  // the caller adds the input name and offset.
  virtual Status Decode(std::string_view bytes, Record& record) = 0;
  // The same, for bytes inside a larger buffer with `readable_after` more bytes readable past their end: a
  // parser that reads ahead (simdjson) can then work in place instead of copying.
  virtual Status DecodeInBuffer(std::string_view bytes, size_t readable_after, Record& record) {
    (void)readable_after;
    return Decode(bytes, record);
  }
  // The lines decoded next (DecodeInBuffer, in order) lie in `lines`: whole lines, `readable_after` more bytes
  // readable past its end, valid until the next call. A decoder may parse them ahead, a block at a time, which
  // costs less than one parse per line (json). ParseAhead({}, 0) forgets them: call it before the buffer changes.
  virtual void ParseAhead(std::string_view lines, size_t readable_after) { (void)lines, (void)readable_after; }
  // For csv: true while the next line is the header (consumed by Decode without producing a record).
  virtual bool ExpectsHeader() const { return false; }
  // Decode only these top-level fields of each value (formats that cannot skip ignore it).
  virtual void Project(const FieldDemand& demand) { (void)demand; }
  // True when Decode also sets the record's key, headers, topic, partition and timestamp (`dead_letter`):
  // the source keeps them instead of setting its own.
  virtual bool CarriesRecordMetadata() const { return false; }
};

class Encoder {
 public:
  virtual ~Encoder() = default;
  // Header text for formats that have one (csv), written once at the start of each file.
  virtual std::string Header(const Record& first) { (void)first; return {}; }
  // Appends the encoded record (without a trailing newline) to out.
  virtual void Encode(const Record& record, std::string& out) = 0;
};

// How `csv` reads: cells are strings unless `columns` declares a type or `infer_types` is on, so that a zip code
// 01234 or a phone number 0049123 keeps its leading zero.
struct CsvColumn {
  std::string name;
  std::string type = "string";  // string | int | double | boolean
};
struct CsvOptions {
  char delimiter = ',';
  char quote = '"';
  // true: the first line (of each file) names the columns. false: `columns` does, in order.
  bool header = true;
  std::vector<CsvColumn> columns;  // with a header, types by column name (undeclared ones are strings)
  bool infer_types = false;        // undeclared cells: int, double, boolean by their text (never with a leading 0)
  std::string null_value;          // a cell with this text (unquoted) is null; by default the empty cell
};
std::vector<std::string> CsvColumnTypes();  // the `type` choices

// format: json | csv | lines | dead_letter. Unknown names give a ConfigError listing the choices.
Result<std::unique_ptr<Decoder>> MakeDecoder(const std::string& format, const CsvOptions& csv = {});
// format: json | pretty | csv | lines. `csv` as for MakeDecoder, so that what is written reads back the same: its
// delimiter, quote, header and null_value; `columns` picks and orders the value fields written (types and
// infer_types are for reading).
Result<std::unique_ptr<Encoder>> MakeEncoder(const std::string& format, const CsvOptions& csv = {});
// The whole record, as the dead-letter envelope's "record" object ({key, value, headers, topic, partition,
// position, timestamp, window}): what `metadata: true` on the stdout and file sinks writes. format: json | pretty.
Result<std::unique_ptr<Encoder>> MakeWholeRecordEncoder(const std::string& format);
// `inner`, given a SQL table's rows as ksqlDB's CLI shows them: the key columns (`key_columns` names a scalar key;
// a struct key names its own), WINDOWSTART and WINDOWEND of a windowed key, then the value columns.
std::unique_ptr<Encoder> MakeTableRowEncoder(std::unique_ptr<Encoder> inner, std::vector<std::string> key_columns);
std::vector<std::string> DecoderNames();
std::vector<std::string> EncoderNames();

}  // namespace pipeline
