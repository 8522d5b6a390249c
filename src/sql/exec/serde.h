// Row <-> wire values for the formats ksqlDB supports here: JSON, DELIMITED, KAFKA (a single primitive) and
// NONE, for keys and values, with WRAP_SINGLE_VALUE. Converters are built once per source/sink schema.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/record.h"
#include "sql/binder/catalog.h"
#include "sql/exec/row.h"
#include "sql/exec/value_convert.h"

namespace pipeline::sql {

// A key or value format, classified once: rows are decoded and encoded per record, format names compared once.
struct WireFormat {
  enum class Kind { kNone, kDelimited, kKafka, kObject };  // kObject: JSON and the other object formats
  explicit WireFormat(std::string format_name);
  std::string name;
  Kind kind;
};

class RowDecoder {
 public:
  explicit RowDecoder(const SourceDef& def);
  // Fills key and value slots of `row` (sized to the schema) from a record. False with `error` set when the
  // record does not match the schema (a deserialization error: the record is skipped).
  bool DecodeKey(const Value& key, Row& row, std::string& error) const;
  bool DecodeValue(const Record& record, Row& row, std::string& error) const;
  // The same for a record the caller gives up: fields of a value struct only the record holds are moved into
  // the row, not copied.
  bool DecodeValue(Record&& record, Row& row, std::string& error) const;
  // Leaves value columns outside `used` (upper-case names) NULL when decoding JSON objects: the query never
  // reads them, so converting them is wasted work. The TIMESTAMP column is always decoded.
  void DecodeOnly(const std::set<std::string>& used);
  // False for a value column DecodeOnly left out.
  bool Reads(int slot) const { return unused_.empty() || !unused_[static_cast<size_t>(slot)]; }

 private:
  // `sole`: the wire value's struct when the caller gives it up (its fields are moved out), else null.
  bool DecodeFields(const std::vector<int>& slots, const Value& wire, const WireFormat& format, bool wrapped,
                    Row& row, std::string& error, const char* what, Struct* sole = nullptr) const;
  void DecodeHeaders(const Record& record, Row& row) const;
  struct ShapeIndex {
    bool for_key;             // key or value slots
    FieldNamesPtr shape;      // held, so that its address cannot be reused by another shape
    std::vector<int> index;   // per slot: its field's index in the shape, -1 when absent
    bool repeats;             // two slots read the same field
  };
  static constexpr size_t kMaxShapes = 8;
  const ShapeIndex& FieldIndex(const std::vector<int>& slots, const FieldNamesPtr& shape) const;
  mutable std::vector<ShapeIndex> shapes_;
  SourceDef def_;
  std::vector<TypeConverter> converters_;  // per column
  std::vector<int> key_slots_, value_slots_, header_slots_;
  std::vector<bool> unused_;  // per column: skipped by DecodeOnly
  WireFormat key_format_, value_format_;
  bool value_wrapped_ = true;
  FieldNamesPtr header_names_;
};

class RowEncoder {
 public:
  explicit RowEncoder(const SourceDef& def);
  Value EncodeKey(const Row& row) const;
  Value EncodeValue(const Row& row) const;  // a present row; deletes are encoded as null by the caller
  // The same, taking the values out of `row` instead of copying them (the row is not used afterwards).
  Value EncodeKey(Row&& row) const;
  Value EncodeValue(Row&& row) const;

 private:
  template <typename R>  // const Row& copies the values, Row&& moves them
  Value EncodeFields(const std::vector<int>& slots, const WireFormat& format, bool wrapped, R&& row,
                     const FieldNamesPtr& names) const;
  template <typename R>
  Value EncodeKeyOf(R&& row) const;
  SourceDef def_;
  std::vector<int> key_slots_, value_slots_;
  // The value columns are the row's columns 0..n-1, all of them (no key or header columns): a row handed over
  // gives its values vector to the value struct whole.
  bool value_is_whole_row_ = false;
  FieldNamesPtr key_names_, value_names_;
  bool value_wrapped_ = true;
  WireFormat key_format_, value_format_;
};

// A row written by one query, put straight into the layout of a query reading that topic: the row that decoding
// its encoded record would give (columns matched by name, values through the reader's type converters), without
// building the record. Only for layouts where that is plain: JSON objects as values, a single unwrapped key or
// none, no header columns; other pairs go through the record.
class RowMapping {
 public:
  static std::optional<RowMapping> Between(const SourceDef& writer, const SourceDef& reader, const RowDecoder& decoder);
  // `row` becomes what the reader would decode from `record` (the writer's record of `in`, key and value not
  // yet encoded). False when a value does not convert: decoding the record reports that error.
  bool Apply(const Row& in, bool tombstone, const Record& record, Row& row) const;
  // The same, moving the values out of `in` where the types allow (the caller does not use `in` afterwards,
  // except to encode it when this fails: then values it gave up are null).
  bool ApplyTaking(Row& in, bool tombstone, const Record& record, Row& row) const;

 private:
  struct Slot {
    int from;  // writer slot
    int to;    // reader slot
    TypeConverter converter;  // the reader column's type
  };
  size_t columns_ = 0;
  bool windowed_ = false;
  int writer_key_ = -1;          // the writer's single key slot, -1 when its key is always null
  std::optional<Slot> key_;      // the reader's single key column, fed from writer_key_
  std::vector<Slot> values_;     // reader value columns present in the writer's value
  bool repeats_ = false;         // two reader columns read one writer column: it cannot be moved to both

  template <typename R>  // const Row: copies the values; Row: moves them
  bool Fill(R& in, bool tombstone, const Record& record, Row& row) const;
};

// Splits one DELIMITED line (RFC 4180 quoting) into fields.
std::vector<std::string> SplitDelimited(const std::string& line, char delimiter);
// A value as ksqlDB writes it in a DELIMITED record (null = empty field), `first_field` of its record or not.
std::string DelimitedText(const Value& v, const SqlType& type, char delimiter, bool first_field);
// A DELIMITED field as the Value a column of `type` converts from.
Value DelimitedFieldValue(std::string field, const SqlType& type);

}  // namespace pipeline::sql
