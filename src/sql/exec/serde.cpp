#include "sql/exec/serde.h"

#include "sql/exec/decimal_math.h"
#include "sql/identifier.h"

namespace pipeline::sql {

std::vector<std::string> SplitDelimited(const std::string& line, char delimiter) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') { cur += '"'; ++i; }
        else quoted = false;
      } else {
        cur += c;
      }
    } else if (c == '"' && cur.empty()) {
      quoted = true;
    } else if (c == delimiter) {
      out.push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(std::move(cur));
  return out;
}

std::string DelimitedText(const Value& v, const SqlType& type) {
  if (v.is_null()) return "";
  std::string s = ValueToSqlString(v, type);
  if (v.is_string() && (s.find(',') != std::string::npos || s.find('"') != std::string::npos)) {
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  }
  return s;
}

namespace {

std::vector<int> Slots(const SourceDef& def, bool key) {
  std::vector<int> out;
  for (size_t i = 0; i < def.columns.size(); ++i)
    if (def.columns[i].key == key && !def.columns[i].headers) out.push_back(static_cast<int>(i));
  return out;
}

FieldNamesPtr NamesOf(const SourceDef& def, const std::vector<int>& slots) {
  auto n = std::make_shared<FieldNames>();
  for (int s : slots) n->names.push_back(def.columns[s].name);
  return n;
}

}  // namespace

RowDecoder::RowDecoder(const SourceDef& def) : def_(def) {
  for (const auto& c : def.columns) converters_.emplace_back(c.type);
  key_slots_ = Slots(def, true);
  value_slots_ = Slots(def, false);
  for (size_t i = 0; i < def.columns.size(); ++i)
    if (def.columns[i].headers) header_slots_.push_back(static_cast<int>(i));
  value_wrapped_ = def.formats.wrap_single_value.value_or(true);
  auto hn = std::make_shared<FieldNames>();
  hn->names = {"KEY", "VALUE"};
  header_names_ = hn;
}

void RowDecoder::DecodeOnly(const std::set<std::string>& used) {
  unused_.assign(def_.columns.size(), false);
  for (int s : value_slots_) {
    std::string upper = AsciiUpper(def_.columns[s].name);
    bool is_timestamp = def_.columns[s].name == def_.timestamp_column;
    unused_[s] = !is_timestamp && !used.count(upper);
  }
}

bool RowDecoder::DecodeFields(const std::vector<int>& slots, const Value& wire, const std::string& format,
                              bool wrapped, Row& row, std::string& error, const char* what) const {
  if (slots.empty() || wire.is_null()) return true;
  if (format == "NONE") return true;
  if (format == "DELIMITED") {
    std::string text = wire.is_string() ? wire.as_string() : wire.ToString();
    auto fields = SplitDelimited(text, std::string(what) == "key" ? def_.formats.key_delimiter : def_.formats.delimiter);
    if (fields.size() != slots.size()) {
      error = std::string("Failed to deserialize ") + what + ": Unexpected field count, csvFields:" +
              std::to_string(fields.size()) + " schemaFields:" + std::to_string(slots.size());
      return false;
    }
    for (size_t i = 0; i < slots.size(); ++i) {
      if (fields[i].empty()) continue;
      if (!converters_[slots[i]].FromJson(Value(fields[i]), row.values[slots[i]])) {
        error = std::string("Failed to deserialize ") + what + ": cannot parse '" + fields[i] + "' as " +
                def_.columns[slots[i]].type.ToString();
        return false;
      }
    }
    return true;
  }
  bool unwrapped = format == "KAFKA" || (slots.size() == 1 && !wrapped);
  if (unwrapped) {
    if (!converters_[slots[0]].FromJson(wire, row.values[slots[0]])) {
      error = std::string("Failed to deserialize ") + what + ": cannot read " + wire.ToString() + " as " +
              def_.columns[slots[0]].type.ToString();
      return false;
    }
    return true;
  }
  // JSON object: fields matched case-insensitively.
  if (!wire.is_struct() && !wire.is_map()) {
    if (slots.size() == 1 && format == "JSON" && std::string(what) == "key") {
      if (converters_[slots[0]].FromJson(wire, row.values[slots[0]])) return true;
    }
    error = std::string("Failed to deserialize ") + what + ": expected a JSON object, got " + wire.ToString();
    return false;
  }
  const std::vector<int>* index = wire.is_struct() ? &FieldIndex(slots, wire.as_struct().names) : nullptr;
  for (size_t k = 0; k < slots.size(); ++k) {
    int s = slots[k];
    if (!unused_.empty() && unused_[s]) continue;
    const std::string& name = def_.columns[s].name;
    const Value* v = nullptr;
    if (index) {
      int i = (*index)[k];
      if (i >= 0) v = &wire.as_struct().values[static_cast<size_t>(i)];
    } else {
      v = wire.Field(name);
    }
    if (v && !converters_[s].FromJson(*v, row.values[s])) {
      error = std::string("Failed to deserialize ") + what + ": field " + name + " cannot be read as " +
              def_.columns[s].type.ToString() + ": " + v->ToString();
      return false;
    }
  }
  return true;
}

// Records of one input share their FieldNames, so the name lookups are done once per shape and slot list.
const std::vector<int>& RowDecoder::FieldIndex(const std::vector<int>& slots, const FieldNamesPtr& shape) const {
  const bool for_key = &slots == &key_slots_;
  for (const auto& c : shapes_)
    if (c.for_key == for_key && c.shape == shape) return c.index;
  ShapeIndex entry{for_key, shape, {}};
  for (int s : slots) {
    const std::string& name = def_.columns[s].name;
    int i = shape->IndexOf(name);
    if (i < 0) i = shape->IndexOfIgnoreCase(name);
    entry.index.push_back(i);
  }
  if (shapes_.size() >= kMaxShapes) shapes_.erase(shapes_.begin());
  shapes_.push_back(std::move(entry));
  return shapes_.back().index;
}

bool RowDecoder::DecodeKey(const Value& key, Row& row, std::string& error) const {
  // A single JSON key column is the bare value (ksqlDB keys are unwrapped).
  bool wrapped = key_slots_.size() > 1;
  return DecodeFields(key_slots_, key, def_.formats.key, wrapped, row, error, "key");
}

bool RowDecoder::DecodeValue(const Record& record, Row& row, std::string& error) const {
  for (int s : header_slots_) {
    const Column& c = def_.columns[s];
    if (c.header_key.empty()) {
      Array a;
      for (const auto& h : record.headers) {
        Struct st;
        st.names = header_names_;
        st.values = {Value(h.key), h.value ? Value(Bytes{*h.value}) : Value()};
        a.push_back(Value(std::move(st)));
      }
      row.values[s] = Value(std::move(a));
    } else {
      const std::string* v = record.FindHeader(c.header_key);
      row.values[s] = v ? Value(Bytes{*v}) : Value();
    }
  }
  return DecodeFields(value_slots_, record.value, def_.formats.value, value_wrapped_, row, error, "value");
}

RowEncoder::RowEncoder(const SourceDef& def) : def_(def) {
  key_slots_ = Slots(def, true);
  value_slots_ = Slots(def, false);
  key_names_ = NamesOf(def, key_slots_);
  value_names_ = NamesOf(def, value_slots_);
  value_wrapped_ = def.formats.wrap_single_value.value_or(true);
}

Value RowEncoder::EncodeFields(const std::vector<int>& slots, const std::string& format, bool wrapped, const Row& row,
                               const FieldNamesPtr& names) const {
  if (slots.empty() || format == "NONE") return Value();
  if (format == "DELIMITED") {
    std::string s;
    for (size_t i = 0; i < slots.size(); ++i) {
      if (i) s += &slots == &key_slots_ ? def_.formats.key_delimiter : def_.formats.delimiter;
      s += DelimitedText(row.values[slots[i]], def_.columns[slots[i]].type);
    }
    return Value(std::move(s));
  }
  if (format == "KAFKA" || (slots.size() == 1 && !wrapped)) return row.values[slots[0]];
  Struct st;
  st.names = names;
  st.values.reserve(slots.size());
  for (int s : slots) st.values.push_back(row.values[s]);
  return Value(std::move(st));
}

Value RowEncoder::EncodeKey(const Row& row) const {
  bool all_null = true;
  for (int s : key_slots_) all_null &= row.values[s].is_null();
  // A record without a key stays without one; a computed multi-column key of NULLs is still written.
  if (all_null && (row.key_absent || key_slots_.size() == 1)) return Value();
  return EncodeFields(key_slots_, def_.formats.key, key_slots_.size() > 1, row, key_names_);
}

Value RowEncoder::EncodeValue(const Row& row) const {
  return EncodeFields(value_slots_, def_.formats.value, value_wrapped_, row, value_names_);
}

}  // namespace pipeline::sql
