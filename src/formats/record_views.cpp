// Encoders that show more of a record than its value, for sinks people read: the whole record (`metadata: true`)
// and a SQL table's row with its key columns and window bounds beside the value columns, as ksqlDB's CLI prints
// them. Both wrap the encoder of the chosen format, so json, pretty and csv read as they do for plain values.
#include <algorithm>

#include "formats/dead_letter_envelope.h"
#include "formats/formats_internal.h"
#include "formats/json.h"

namespace pipeline {

namespace {

// The envelope's "record" object, written by the one writer dead letters use (dead_letter_envelope.h). `pretty`
// parses that text back, so that both show exactly the same fields.
class WholeRecordEncoder : public Encoder {
 public:
  explicit WholeRecordEncoder(std::unique_ptr<Encoder> pretty) : pretty_(std::move(pretty)) {}
  void Encode(const Record& record, std::string& out) override {
    if (!pretty_) return AppendRecordEnvelope(record, out);
    std::string json;
    AppendRecordEnvelope(record, json);
    Record view;
    auto parsed = ParseJson(json);  // always parses: the envelope writer writes valid JSON
    view.value = parsed.ok() ? std::move(*parsed) : Value(json);
    pretty_->Encode(view, out);
  }

 private:
  std::unique_ptr<Encoder> pretty_;  // null: one JSON object per line
};

class TableRowEncoder : public Encoder {
 public:
  TableRowEncoder(std::unique_ptr<Encoder> inner, std::vector<std::string> key_columns)
      : inner_(std::move(inner)), key_columns_(std::move(key_columns)) {}
  std::string Header(const Record& first) override { return inner_->Header(View(first)); }
  void Encode(const Record& record, std::string& out) override { inner_->Encode(View(record), out); }

 private:
  // Key columns (a struct key's fields, or a scalar key under its one column's name), WINDOWSTART and WINDOWEND
  // of a windowed key, then the value's fields; a value field of the same name as a key column wins.
  Record View(const Record& record) {
    if ((record.key.is_null() || key_columns_.empty()) && !record.window) return record;
    std::vector<std::string> names;
    std::vector<Value> values;
    if (record.key.is_struct()) {
      const Struct& key = record.key.as_struct();
      for (size_t i = 0; i < key.size(); ++i) names.push_back(key.name(i)), values.push_back(key.values[i]);
    } else if (!record.key.is_null() && key_columns_.size() == 1) {
      names.push_back(key_columns_[0]), values.push_back(record.key);
    }
    if (record.window) {
      names.push_back("WINDOWSTART"), values.push_back(Value(record.window->start));
      names.push_back("WINDOWEND"), values.push_back(Value(record.window->end));
    }
    if (record.value.is_struct()) {
      const Struct& value = record.value.as_struct();
      for (size_t i = 0; i < value.size(); ++i) {
        auto same = std::find(names.begin(), names.end(), value.name(i));
        if (same != names.end()) values.erase(values.begin() + (same - names.begin())), names.erase(same);
        names.push_back(value.name(i)), values.push_back(value.values[i]);
      }
    } else if (!record.value.is_null()) {
      names.push_back("VALUE"), values.push_back(record.value);  // a bare value (WRAP_SINGLE_VALUE=false)
    }
    if (!shape_ || shape_->names != names) {  // rows of one table share their field names, as decoded records do
      auto shape = std::make_shared<FieldNames>();
      shape->names = std::move(names);
      shape_ = std::move(shape);
    }
    Record view;
    view.value = Value(Struct{shape_, std::move(values)});
    return view;
  }

  std::unique_ptr<Encoder> inner_;
  std::vector<std::string> key_columns_;
  FieldNamesPtr shape_;
};

}  // namespace

Result<std::unique_ptr<Encoder>> MakeWholeRecordEncoder(const std::string& format) {
  if (format == "json" || format == "jsonl")
    return std::unique_ptr<Encoder>(std::make_unique<WholeRecordEncoder>(nullptr));
  if (format == "pretty") return std::unique_ptr<Encoder>(std::make_unique<WholeRecordEncoder>(MakePrettyEncoder()));
  return ConfigError("metadata: true writes JSON: it needs format json or pretty, not " + format);
}

std::unique_ptr<Encoder> MakeTableRowEncoder(std::unique_ptr<Encoder> inner, std::vector<std::string> key_columns) {
  return std::make_unique<TableRowEncoder>(std::move(inner), std::move(key_columns));
}

}  // namespace pipeline
