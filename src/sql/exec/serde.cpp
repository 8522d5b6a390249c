#include "sql/exec/serde.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <type_traits>
#include <utility>

#include "core/decimal.h"
#include "sql/functions/scalar/text_encoding.h"
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

namespace {

// A field's text before quoting, as ksqlDB's DELIMITED serializer writes it: DATE as days since the epoch, TIME as
// milliseconds of the day, TIMESTAMP as epoch milliseconds, BYTES as base64.
std::string DelimitedFieldText(const Value& v, const SqlType& type) {
  switch (v.kind()) {
    case Value::Kind::kDate: return std::to_string(v.as_date().days);
    case Value::Kind::kTime: return std::to_string(v.as_time().millis);
    case Value::Kind::kTimestamp: return std::to_string(v.as_timestamp().millis);
    case Value::Kind::kBytes: return scalar::Base64Encode(v.as_bytes().data);
    default: return ValueToSqlString(v, type);
  }
}

// Apache Commons CSV's minimal quoting (ksqlDB writes DELIMITED with it): a record's first field starting with
// anything but a letter or digit, any field starting at or below '#' or ending at or below ' ', and any field
// holding a quote, the delimiter or a line break.
bool NeedsQuotes(std::string_view s, char delimiter, bool first_field) {
  if (s.empty()) return first_field;
  unsigned char c = static_cast<unsigned char>(s.front());
  if (first_field && !std::isalnum(c)) return true;
  if (c <= '#') return true;
  if (s.find_first_of(std::string{'"', '\n', '\r', delimiter}) != std::string_view::npos) return true;
  return static_cast<unsigned char>(s.back()) <= ' ';
}

}  // namespace

std::string DelimitedText(const Value& v, const SqlType& type, char delimiter, bool first_field) {
  if (v.is_null()) return "";
  std::string s = DelimitedFieldText(v, type);
  if (!NeedsQuotes(s, delimiter, first_field)) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

// A DELIMITED field as the Value a column of `type` converts from: temporal types come as numbers.
Value DelimitedFieldValue(std::string field, const SqlType& type) {
  if (type.id == TypeId::kDate || type.id == TypeId::kTime || type.id == TypeId::kTimestamp) {
    int64_t n = 0;
    auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), n);
    if (ec == std::errc() && end == field.data() + field.size()) return Value(n);
  }
  return Value(std::move(field));
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

WireFormat::WireFormat(std::string format_name) : name(std::move(format_name)) {
  kind = name == "NONE" ? Kind::kNone : name == "DELIMITED" ? Kind::kDelimited : name == "KAFKA" ? Kind::kKafka : Kind::kObject;
}

RowDecoder::RowDecoder(const SourceDef& def)
    : def_(def), key_format_(def.formats.key), value_format_(def.formats.value) {
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

bool RowDecoder::DecodeFields(const std::vector<int>& slots, const Value& wire, const WireFormat& format,
                              bool wrapped, Row& row, std::string& error, const char* what, Struct* sole) const {
  if (slots.empty() || wire.is_null()) return true;
  if (format.kind == WireFormat::Kind::kNone) return true;
  if (format.kind == WireFormat::Kind::kDelimited) {
    std::string text = wire.is_string() ? wire.as_string() : wire.ToString();
    auto fields = SplitDelimited(text, std::string(what) == "key" ? def_.formats.key_delimiter : def_.formats.delimiter);
    if (fields.size() != slots.size()) {
      error = std::string("Failed to deserialize ") + what + ": Unexpected field count, csvFields:" +
              std::to_string(fields.size()) + " schemaFields:" + std::to_string(slots.size());
      return false;
    }
    for (size_t i = 0; i < slots.size(); ++i) {
      if (fields[i].empty()) continue;
      if (!converters_[slots[i]].FromJson(DelimitedFieldValue(fields[i], def_.columns[slots[i]].type), row.values[slots[i]])) {
        error = std::string("Failed to deserialize ") + what + ": cannot parse '" + fields[i] + "' as " +
                def_.columns[slots[i]].type.ToString();
        return false;
      }
    }
    return true;
  }
  bool unwrapped = format.kind == WireFormat::Kind::kKafka || (slots.size() == 1 && !wrapped);
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
    if (slots.size() == 1 && format.name == "JSON" && std::string(what) == "key") {
      if (converters_[slots[0]].FromJson(wire, row.values[slots[0]])) return true;
    }
    error = std::string("Failed to deserialize ") + what + ": expected a JSON object, got " + wire.ToString();
    return false;
  }
  const ShapeIndex* shape = wire.is_struct() ? &FieldIndex(slots, wire.as_struct().names) : nullptr;
  // Fields of a struct the caller gave up are moved into the row, unless two columns read the same field.
  Struct* taken = shape && !shape->repeats ? sole : nullptr;
  for (size_t k = 0; k < slots.size(); ++k) {
    int s = slots[k];
    if (!unused_.empty() && unused_[s]) continue;
    const std::string& name = def_.columns[s].name;
    const Value* v = nullptr;
    int i = -1;
    if (shape) {
      i = shape->index[k];
      if (i >= 0) v = &wire.as_struct().values[static_cast<size_t>(i)];
    } else {
      v = wire.Field(name);
    }
    if (!v) continue;
    bool ok = taken ? converters_[s].FromJson(std::move(taken->values[static_cast<size_t>(i)]), row.values[s])
                    : converters_[s].FromJson(*v, row.values[s]);
    if (!ok) {
      error = std::string("Failed to deserialize ") + what + ": field " + name + " cannot be read as " +
              def_.columns[s].type.ToString() + ": " + v->ToString();
      return false;
    }
  }
  return true;
}

// Records of one input share their FieldNames, so the name lookups are done once per shape and slot list.
const RowDecoder::ShapeIndex& RowDecoder::FieldIndex(const std::vector<int>& slots, const FieldNamesPtr& shape) const {
  const bool for_key = &slots == &key_slots_;
  for (const auto& c : shapes_)
    if (c.for_key == for_key && c.shape == shape) return c;
  ShapeIndex entry{for_key, shape, {}, false};
  for (int s : slots) {
    const std::string& name = def_.columns[s].name;
    int i = shape->IndexOf(name);
    if (i < 0) i = shape->IndexOfIgnoreCase(name);
    if (i >= 0 && std::find(entry.index.begin(), entry.index.end(), i) != entry.index.end()) entry.repeats = true;
    entry.index.push_back(i);
  }
  if (shapes_.size() >= kMaxShapes) shapes_.erase(shapes_.begin());
  shapes_.push_back(std::move(entry));
  return shapes_.back();
}

bool RowDecoder::DecodeKey(const Value& key, Row& row, std::string& error) const {
  // A single JSON key column is the bare value (ksqlDB keys are unwrapped).
  bool wrapped = key_slots_.size() > 1;
  return DecodeFields(key_slots_, key, key_format_, wrapped, row, error, "key");
}

void RowDecoder::DecodeHeaders(const Record& record, Row& row) const {
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
}

bool RowDecoder::DecodeValue(const Record& record, Row& row, std::string& error) const {
  DecodeHeaders(record, row);
  return DecodeFields(value_slots_, record.value, value_format_, value_wrapped_, row, error, "value");
}

bool RowDecoder::DecodeValue(Record&& record, Row& row, std::string& error) const {
  DecodeHeaders(record, row);
  // Only a JSON object read field by field is taken apart; the other paths read the value whole.
  Struct* sole = value_format_.kind == WireFormat::Kind::kObject ? record.value.SoleStruct() : nullptr;
  return DecodeFields(value_slots_, record.value, value_format_, value_wrapped_, row, error, "value", sole);
}

RowEncoder::RowEncoder(const SourceDef& def)
    : def_(def), key_format_(def.formats.key), value_format_(def.formats.value) {
  key_slots_ = Slots(def, true);
  value_slots_ = Slots(def, false);
  key_names_ = NamesOf(def, key_slots_);
  value_names_ = NamesOf(def, value_slots_);
  value_wrapped_ = def.formats.wrap_single_value.value_or(true);
  value_is_whole_row_ = value_slots_.size() == def.columns.size();
  for (size_t i = 0; i < value_slots_.size(); ++i)
    value_is_whole_row_ = value_is_whole_row_ && value_slots_[i] == static_cast<int>(i);
}

namespace {

// Appends row.values[slot] to `to`: moved out when the caller hands the row over (an rvalue), else copied.
template <typename R>
void TakeValue(R&& row, int slot, std::vector<Value>& to) {
  if constexpr (std::is_lvalue_reference_v<R>) to.push_back(row.values[static_cast<size_t>(slot)]);
  else to.push_back(std::move(row.values[static_cast<size_t>(slot)]));
}

}  // namespace

template <typename R>
Value RowEncoder::EncodeFields(const std::vector<int>& slots, const WireFormat& format, bool wrapped, R&& row,
                               const FieldNamesPtr& names) const {
  if (slots.empty() || format.kind == WireFormat::Kind::kNone) return Value();
  if (format.kind == WireFormat::Kind::kDelimited) {
    std::string s;
    const char delimiter = &slots == &key_slots_ ? def_.formats.key_delimiter : def_.formats.delimiter;
    for (size_t i = 0; i < slots.size(); ++i) {
      if (i) s += delimiter;
      s += DelimitedText(row.values[slots[i]], def_.columns[slots[i]].type, delimiter, i == 0);
    }
    return Value(std::move(s));
  }
  if (format.kind == WireFormat::Kind::kKafka || (slots.size() == 1 && !wrapped)) {
    if constexpr (std::is_lvalue_reference_v<R>) return row.values[static_cast<size_t>(slots[0])];
    else return std::move(row.values[static_cast<size_t>(slots[0])]);
  }
  Struct st;
  st.names = names;
  if constexpr (!std::is_lvalue_reference_v<R>) {
    if (&slots == &value_slots_ && value_is_whole_row_ && row.values.size() == slots.size()) {
      st.values = std::move(row.values);
      return Value(std::move(st));
    }
  }
  st.values.reserve(slots.size());
  for (int s : slots) TakeValue(std::forward<R>(row), s, st.values);
  return Value(std::move(st));
}

template <typename R>
Value RowEncoder::EncodeKeyOf(R&& row) const {
  bool all_null = true;
  for (int s : key_slots_) all_null &= row.values[s].is_null();
  // A record without a key stays without one; a computed multi-column key of NULLs is still written.
  if (all_null && (row.key_absent || key_slots_.size() == 1)) return Value();
  return EncodeFields(key_slots_, key_format_, key_slots_.size() > 1, std::forward<R>(row), key_names_);
}

Value RowEncoder::EncodeKey(const Row& row) const { return EncodeKeyOf(row); }
Value RowEncoder::EncodeKey(Row&& row) const { return EncodeKeyOf(std::move(row)); }

Value RowEncoder::EncodeValue(const Row& row) const {
  return EncodeFields(value_slots_, value_format_, value_wrapped_, row, value_names_);
}

Value RowEncoder::EncodeValue(Row&& row) const {
  return EncodeFields(value_slots_, value_format_, value_wrapped_, std::move(row), value_names_);
}

namespace {

bool IsJsonObjectValue(const SourceDef& def, size_t value_columns) {
  bool wrapped = def.formats.wrap_single_value.value_or(true);
  return def.formats.value == "JSON" && (value_columns != 1 || wrapped);
}

}  // namespace

std::optional<RowMapping> RowMapping::Between(const SourceDef& writer, const SourceDef& reader,
                                              const RowDecoder& decoder) {
  std::vector<int> writer_keys = Slots(writer, true), writer_values = Slots(writer, false);
  std::vector<int> reader_keys = Slots(reader, true), reader_values = Slots(reader, false);
  bool reader_headers = reader_keys.size() + reader_values.size() != reader.columns.size();
  // The writer's value must be a JSON object (a source without value columns would see a tombstone), read as
  // one; keys must be one bare value at most on both sides.
  if (writer_values.empty() || !IsJsonObjectValue(writer, writer_values.size())) return std::nullopt;
  if (reader_headers || !IsJsonObjectValue(reader, reader_values.size())) return std::nullopt;
  if (writer_keys.size() > 1 || reader_keys.size() > 1) return std::nullopt;
  auto bare_key = [](const std::string& f) { return f == "JSON" || f == "KAFKA"; };
  if (!writer_keys.empty() && writer.formats.key != "NONE" && !bare_key(writer.formats.key)) return std::nullopt;
  if (!reader_keys.empty() && !bare_key(reader.formats.key)) return std::nullopt;

  RowMapping m;
  m.columns_ = reader.columns.size();
  m.windowed_ = reader.window_type != WindowType::kNone;
  if (!writer_keys.empty() && writer.formats.key != "NONE") m.writer_key_ = writer_keys[0];
  if (!reader_keys.empty() && m.writer_key_ >= 0)
    m.key_.emplace(Slot{m.writer_key_, reader_keys[0], TypeConverter(reader.columns[reader_keys[0]].type)});
  // Value fields are found by name as RowDecoder::FieldIndex finds them in a record of the writer's shape.
  FieldNamesPtr shape = NamesOf(writer, writer_values);
  for (int s : reader_values) {
    if (!decoder.Reads(s)) continue;
    const std::string& name = reader.columns[s].name;
    int i = shape->IndexOf(name);
    if (i < 0) i = shape->IndexOfIgnoreCase(name);
    if (i < 0) continue;
    int from = writer_values[static_cast<size_t>(i)];
    for (const Slot& earlier : m.values_) m.repeats_ = m.repeats_ || earlier.from == from;
    m.values_.push_back(Slot{from, s, TypeConverter(reader.columns[s].type)});
  }
  return m;
}

bool RowMapping::Apply(const Row& in, bool tombstone, const Record& record, Row& row) const {
  return Fill(in, tombstone, record, row);
}

bool RowMapping::ApplyTaking(Row& in, bool tombstone, const Record& record, Row& row) const {
  return repeats_ ? Fill(std::as_const(in), tombstone, record, row) : Fill(in, tombstone, record, row);
}

template <typename R>
bool RowMapping::Fill(R& in, bool tombstone, const Record& record, Row& row) const {
  row.values.resize(columns_);
  row.rowtime = record.timestamp;
  row.partition = record.partition < 0 ? 0 : record.partition;
  row.offset = record.offset;
  if (windowed_) row.window = record.window;
  // A single key column is written as its bare value, and as no key at all when it is NULL.
  const bool key_null = writer_key_ < 0 || in.values[static_cast<size_t>(writer_key_)].is_null();
  row.key_absent = key_null;
  auto convert = [&in, &row](const Slot& s) {
    if constexpr (std::is_const_v<R>) return s.converter.FromJson(in.values[s.from], row.values[s.to]);
    else return s.converter.FromJson(std::move(in.values[s.from]), row.values[s.to]);
  };
  if (key_ && !key_null && !convert(*key_)) return false;
  if (tombstone) return true;
  for (const Slot& s : values_)
    if (!convert(s)) return false;
  return true;
}

}  // namespace pipeline::sql
