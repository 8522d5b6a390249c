// Row <-> wire values for the formats ksqlDB supports here: JSON, DELIMITED, KAFKA (a single primitive) and
// NONE, for keys and values, with WRAP_SINGLE_VALUE. Converters are built once per source/sink schema.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "core/record.h"
#include "sql/binder/catalog.h"
#include "sql/exec/row.h"
#include "sql/exec/value_convert.h"

namespace pipeline::sql {

class RowDecoder {
 public:
  explicit RowDecoder(const SourceDef& def);
  // Fills key and value slots of `row` (sized to the schema) from a record. False with `error` set when the
  // record does not match the schema (a deserialization error: the record is skipped).
  bool DecodeKey(const Value& key, Row& row, std::string& error) const;
  bool DecodeValue(const Record& record, Row& row, std::string& error) const;
  // Leaves value columns outside `used` (upper-case names) NULL when decoding JSON objects: the query never
  // reads them, so converting them is wasted work. The TIMESTAMP column is always decoded.
  void DecodeOnly(const std::set<std::string>& used);

 private:
  bool DecodeFields(const std::vector<int>& slots, const Value& wire, const std::string& format, bool wrapped,
                    Row& row, std::string& error, const char* what) const;
  struct ShapeIndex {
    bool for_key;             // key or value slots
    FieldNamesPtr shape;      // held, so that its address cannot be reused by another shape
    std::vector<int> index;   // per slot: its field's index in the shape, -1 when absent
  };
  static constexpr size_t kMaxShapes = 8;
  const std::vector<int>& FieldIndex(const std::vector<int>& slots, const FieldNamesPtr& shape) const;
  mutable std::vector<ShapeIndex> shapes_;
  SourceDef def_;
  std::vector<TypeConverter> converters_;  // per column
  std::vector<int> key_slots_, value_slots_, header_slots_;
  std::vector<bool> unused_;  // per column: skipped by DecodeOnly
  bool value_wrapped_ = true;
  FieldNamesPtr header_names_;
};

class RowEncoder {
 public:
  explicit RowEncoder(const SourceDef& def);
  Value EncodeKey(const Row& row) const;
  Value EncodeValue(const Row& row) const;  // a present row; deletes are encoded as null by the caller

 private:
  Value EncodeFields(const std::vector<int>& slots, const std::string& format, bool wrapped, const Row& row,
                     const FieldNamesPtr& names) const;
  SourceDef def_;
  std::vector<int> key_slots_, value_slots_;
  FieldNamesPtr key_names_, value_names_;
  bool value_wrapped_ = true;
};

// Splits one DELIMITED line (RFC 4180 quoting) into fields.
std::vector<std::string> SplitDelimited(const std::string& line, char delimiter);
// A value as DELIMITED text (null = empty field).
std::string DelimitedText(const Value& v, const SqlType& type);

}  // namespace pipeline::sql
