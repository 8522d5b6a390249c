#include "formats/json.h"

#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <deque>
#include <optional>

namespace pipeline {

namespace {

// Records of one shape share their FieldNames: the last few shapes seen are kept and reused.
class FieldNamesCache {
 public:
  FieldNamesPtr Get(const std::vector<std::string_view>& keys) {
    if (last_ && Matches(*last_, keys)) return last_;
    for (auto& entry : entries_) {
      if (Matches(*entry, keys)) return last_ = entry;
    }
    auto names = std::make_shared<FieldNames>();
    names->names.assign(keys.begin(), keys.end());
    if (entries_.size() >= kMaxShapes) entries_.erase(entries_.begin());
    entries_.push_back(names);
    return last_ = names;
  }

 private:
  static constexpr size_t kMaxShapes = 32;
  static bool Matches(const FieldNames& names, const std::vector<std::string_view>& keys) {
    if (names.names.size() != keys.size()) return false;
    for (size_t i = 0; i < keys.size(); ++i)
      if (!SameName(names.names[i], keys[i])) return false;
    return true;
  }
  std::vector<FieldNamesPtr> entries_;
  FieldNamesPtr last_;
};

// Parsing ahead (JsonReader::ParseAhead): the lines are parsed a block of about kBlockBytes at a time with
// parse_many, whose per-document cost is lower than a parse() per line (stage 1 runs over the whole block).
// The block has a parser of its own, so a line parsed alone in between leaves the block's documents intact.
class LinesParsedAhead {
 public:
  void Reset(std::string_view lines, size_t readable_after) {
    lines_ = readable_after >= simdjson::SIMDJSON_PADDING ? lines : std::string_view();
    block_begin_ = block_end_ = nullptr;
    block_failed_ = false;
  }

  // The document parsed ahead whose text is exactly `line`, if there is one. Valid until Advance().
  std::optional<simdjson::dom::element> Find(std::string_view line) {
    if (lines_.empty() || !Within(line.data(), lines_.data(), lines_.data() + lines_.size())) return std::nullopt;
    if (!Within(line.data(), block_begin_, block_end_) && !StartBlock(line.data())) return std::nullopt;
    if (block_failed_) return std::nullopt;  // the rest of this block is parsed line by line
    for (; doc_ != stream_.end(); ++doc_) {
      auto element = *doc_;
      if (element.error()) {
        block_failed_ = true;  // parse_many stops at an error; the line parsed alone reports it
        return std::nullopt;
      }
      const char* start = block_begin_ + doc_.current_index();
      if (start < line.data()) continue;  // a document left over from a line that did not match (parsed alone)
      // Only an object or array that is the whole line stands for it; source() of a scalar is not exact.
      bool whole_line = start == line.data() && (*start == '{' || *start == '[') && doc_.source().size() == line.size();
      if (!whole_line) return std::nullopt;
      return element.value_unsafe();
    }
    return std::nullopt;
  }
  // Done with the document Find returned.
  void Advance() { ++doc_; }

 private:
  static constexpr size_t kBlockBytes = 64 << 10;  // stage 1 output of a block stays in cache for stage 2

  static bool Within(const char* p, const char* begin, const char* end) {
    auto at = reinterpret_cast<uintptr_t>(p);
    return at >= reinterpret_cast<uintptr_t>(begin) && at < reinterpret_cast<uintptr_t>(end);
  }

  // Parses the whole lines from `from` on, about kBlockBytes of them. False if that fails at once.
  bool StartBlock(const char* from) {
    const char* lines_end = lines_.data() + lines_.size();
    const char* end = lines_end;
    if (static_cast<size_t>(lines_end - from) > kBlockBytes) {
      const void* nl = std::memchr(from + kBlockBytes, '\n', static_cast<size_t>(lines_end - from) - kBlockBytes);
      if (nl) end = static_cast<const char*>(nl) + 1;
    }
    block_begin_ = from;
    block_end_ = end;
    block_failed_ = false;
    size_t len = static_cast<size_t>(end - from);
    // One batch for the whole block (batch_size >= len): parse_many then never splits a document between batches.
    size_t batch = std::max(len, 2 * kBlockBytes);
    if (parser_.parse_many(from, len, batch).get(stream_)) {
      block_failed_ = true;
      return true;
    }
    doc_ = stream_.begin();
    return true;
  }

  std::string_view lines_;  // the lines given to ParseAhead
  simdjson::dom::parser parser_;
  simdjson::dom::document_stream stream_;
  simdjson::dom::document_stream::iterator doc_;  // the next document of stream_
  const char* block_begin_ = nullptr;  // the bytes stream_ parses: [block_begin_, block_end_)
  const char* block_end_ = nullptr;
  bool block_failed_ = false;
};

}  // namespace

struct JsonReader::Impl {
  simdjson::dom::parser parser;
  FieldNamesCache names;
  // One key list per nesting depth, reused. A deque: converting a nested value adds depths while the levels
  // above still hold a reference to their own list, and growing a deque at its end moves no element.
  std::deque<std::vector<std::string_view>> key_stack;
  FieldDemand top_level = FieldDemand::All();
  LinesParsedAhead ahead;

  Value Convert(simdjson::dom::element e, size_t depth) {
    using simdjson::dom::element_type;
    switch (e.type()) {
      case element_type::NULL_VALUE: return Value();
      case element_type::BOOL: return Value(bool(e.get_bool().value_unsafe()));
      case element_type::INT64: return Value(int64_t(e.get_int64().value_unsafe()));
      case element_type::UINT64: return Value(double(e.get_uint64().value_unsafe()));
      case element_type::DOUBLE: return Value(double(e.get_double().value_unsafe()));
      case element_type::STRING: return Value(std::string(e.get_string().value_unsafe()));
      case element_type::ARRAY: {
        Array items;
        simdjson::dom::array array;
        if (e.get_array().get(array)) return Value();
        items.reserve(array.size());
        for (simdjson::dom::element child : array) items.push_back(Convert(child, depth + 1));
        return Value(std::move(items));
      }
      case element_type::OBJECT: {
        simdjson::dom::object obj;
        if (e.get_object().get(obj)) return Value();
        return depth == 0 && !top_level.all() ? ConvertProjected(obj) : ConvertObject(obj, depth);
      }
    }
    return Value();
  }

  Value ConvertObject(simdjson::dom::object obj, size_t depth) {
    std::vector<std::string_view>& keys = KeysAt(depth);
    Struct s;
    s.values.reserve(obj.size());
    for (simdjson::dom::key_value_pair field : obj) {
      keys.push_back(field.key);
      s.values.push_back(Convert(field.value, depth + 1));  // may add depths below: `keys` stays where it is
    }
    s.names = names.Get(keys);
    return Value(std::move(s));
  }

  // The cleared key list of one depth.
  std::vector<std::string_view>& KeysAt(size_t depth) {
    while (key_stack.size() <= depth) key_stack.emplace_back();  // appending to a deque moves no element
    key_stack[depth].clear();
    return key_stack[depth];
  }

  // The top-level object of a projected document: only the demanded fields. A key whose length no demanded
  // name has is passed over without comparing its bytes (most keys, when a few fields are wanted).
  Value ConvertProjected(simdjson::dom::object obj) {
    std::vector<std::string_view>& keys = KeysAt(0);
    Struct s;
    s.values.reserve(std::min(obj.size(), wanted_count));
    const bool exact = !top_level.ignores_case();
    for (auto field = obj.begin(), end = obj.end(); field != end; ++field) {  // reads a key only if needed
      if (!LengthWanted(field.key_length())) continue;
      std::string_view key = field.key();
      if (exact) {
        const std::string* name = DemandedName(key);
        if (!name) continue;
        key = *name;  // the demand's copy: see ProjectedShape
      } else if (!top_level.Wants(key)) {
        continue;
      }
      keys.push_back(key);
      s.values.push_back(Convert(field.value(), 1));  // an object inside adds depths: `keys` stays valid
    }
    s.names = exact ? ProjectedShape(keys) : names.Get(keys);
    return Value(std::move(s));
  }

  // The demanded name spelled exactly `key` (names matched exactly), or null. Few names: a scan, lengths first.
  const std::string* DemandedName(std::string_view key) const {
    const std::vector<std::string>& wanted = top_level.names();
    if (wanted.size() > 8) {
      auto at = std::lower_bound(wanted.begin(), wanted.end(), key, std::less<>());
      return at != wanted.end() && *at == key ? &*at : nullptr;
    }
    for (const std::string& name : wanted)
      if (SameName(name, key)) return &name;
    return nullptr;
  }

  // With exact names, the keys of a projected object are the demand's own strings, so their addresses identify
  // the shape: the shape of the previous document is reused without comparing bytes.
  FieldNamesPtr ProjectedShape(const std::vector<std::string_view>& keys) {
    bool same = keys.size() == last_projected_keys.size();
    for (size_t i = 0; same && i < keys.size(); ++i) same = keys[i].data() == last_projected_keys[i].data();
    if (!same) {
      last_projected_keys = keys;
      last_projected_shape = names.Get(keys);
    }
    return last_projected_shape;
  }
  std::vector<std::string_view> last_projected_keys;  // views of top_level's names
  FieldNamesPtr last_projected_shape;

  // Bit n set: some demanded name is n bytes long (bit 63: 63 or more, or a demand that matches case-insensitively
  // or takes everything, which then compares every key).
  uint64_t wanted_lengths = ~uint64_t{0};
  size_t wanted_count = 0;  // names demanded (a duplicate key may still make more fields)
  bool LengthWanted(size_t n) const { return (wanted_lengths >> std::min<size_t>(n, 63)) & 1; }
  void SetDemand(const FieldDemand& demand) {
    top_level = demand;
    last_projected_keys.clear();  // they viewed the names of the demand replaced here
    wanted_count = demand.names().size();
    wanted_lengths = 0;
    for (const std::string& name : demand.names()) wanted_lengths |= uint64_t{1} << std::min<size_t>(name.size(), 63);
    if (demand.all() || demand.ignores_case()) wanted_lengths = ~uint64_t{0};
  }
};

JsonReader::JsonReader() : impl_(std::make_unique<Impl>()) {}
JsonReader::~JsonReader() = default;

Result<Value> JsonReader::Parse(std::string_view text, size_t readable_after) {
  if (auto ahead = impl_->ahead.Find(text)) {
    Value value = impl_->Convert(*ahead, 0);
    impl_->ahead.Advance();
    return value;
  }
  auto doc = impl_->parser.parse(text.data(), text.size(), readable_after < simdjson::SIMDJSON_PADDING);
  if (doc.error()) {
    return DataError(std::string("invalid JSON: ") + simdjson::error_message(doc.error()));
  }
  return impl_->Convert(doc.value_unsafe(), 0);
}

void JsonReader::Project(const FieldDemand& demand) { impl_->SetDemand(demand); }

void JsonReader::ParseAhead(std::string_view lines, size_t readable_after) { impl_->ahead.Reset(lines, readable_after); }

Result<Value> ParseJson(std::string_view text) {
  JsonReader reader;
  return reader.Parse(text);
}

namespace {

// The length of the well-formed UTF-8 sequence that starts at s[i] (a byte of 0x80 or above), or 0 when there is
// none: a stray continuation byte, a sequence cut short, an overlong form, a surrogate, or beyond U+10FFFF.
size_t Utf8SequenceAt(std::string_view s, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char lead = byte(i);
  const size_t n = lead >= 0xc2 && lead <= 0xdf   ? 2
                   : lead >= 0xe0 && lead <= 0xef ? 3
                   : lead >= 0xf0 && lead <= 0xf4 ? 4
                                                  : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k)
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
  const unsigned char second = byte(i + 1);
  if ((lead == 0xe0 && second < 0xa0) || (lead == 0xed && second > 0x9f) || (lead == 0xf0 && second < 0x90) ||
      (lead == 0xf4 && second > 0x8f))
    return 0;
  return n;
}

}  // namespace

// Strings hold UTF-8, but bytes from outside may not be (a log line in Latin-1, a syslog message, a database
// column in another character set): each byte that starts no well-formed sequence is written as U+FFFD, as Vector
// and Jackson write them, because JSON must be UTF-8 and every JSON reader, pipe's own included, refuses the file
// otherwise (found by fuzzing, issue 19). ASCII costs one comparison more per byte.
void AppendJsonString(std::string_view s, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  size_t run = 0;  // start of the current run of bytes that need no escaping
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') continue;
    if (c >= 0x80) {
      if (const size_t n = Utf8SequenceAt(s, i)) {
        i += n - 1;
        continue;
      }
      out.append(s.data() + run, i - run);
      run = i + 1;
      out += "\xef\xbf\xbd";  // U+FFFD
      continue;
    }
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      default:
        out += "\\u00";
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 15]);
    }
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

std::string_view NonFiniteDoubleText(double d) {
  if (std::isfinite(d)) return {};
  return std::isnan(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity";
}

namespace {

void AppendDouble(double d, std::string& out) {
  if (std::string_view text = NonFiniteDoubleText(d); !text.empty()) {
    AppendJsonString(text, out);
    return;
  }
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  std::string_view text(buf, static_cast<size_t>(end - buf));
  out += text;
  // Keep doubles recognisable as doubles, as Java/ksqlDB print them (1.0, not 1).
  if (text.find_first_of(".en") == std::string_view::npos) out += ".0";
}

void AppendBase64(std::string_view data, std::string& out) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  out.push_back('"');
  size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    uint32_t n = (uint8_t(data[i]) << 16) | (uint8_t(data[i + 1]) << 8) | uint8_t(data[i + 2]);
    for (int shift : {18, 12, 6, 0}) out.push_back(kAlphabet[(n >> shift) & 63]);
  }
  if (i < data.size()) {
    uint32_t n = uint8_t(data[i]) << 16;
    if (i + 1 < data.size()) n |= uint8_t(data[i + 1]) << 8;
    out.push_back(kAlphabet[(n >> 18) & 63]);
    out.push_back(kAlphabet[(n >> 12) & 63]);
    out.push_back(i + 1 < data.size() ? kAlphabet[(n >> 6) & 63] : '=');
    out.push_back('=');
  }
  out.push_back('"');
}

}  // namespace

void AppendJson(const Value& v, std::string& out) {
  using K = Value::Kind;
  switch (v.kind()) {
    case K::kNull: out += "null"; return;
    case K::kBool: out += v.as_bool() ? "true" : "false"; return;
    case K::kInt: {
      char buf[24];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v.as_int());
      out.append(buf, end);
      return;
    }
    case K::kDouble: AppendDouble(v.as_double(), out); return;
    case K::kDecimal: out += v.as_decimal().ToString(); return;
    case K::kString: AppendJsonString(v.as_string(), out); return;
    case K::kBytes: AppendBase64(v.as_bytes().data, out); return;
    case K::kDate: out += std::to_string(v.as_date().days); return;
    case K::kTime: out += std::to_string(v.as_time().millis); return;
    case K::kTimestamp: out += std::to_string(v.as_timestamp().millis); return;
    case K::kArray: {
      out.push_back('[');
      bool first = true;
      for (const auto& item : v.as_array()) {
        if (!first) out.push_back(',');
        first = false;
        AppendJson(item, out);
      }
      out.push_back(']');
      return;
    }
    case K::kMap: {
      out.push_back('{');
      bool first = true;
      for (const auto& [key, item] : v.as_map()) {
        if (!first) out.push_back(',');
        first = false;
        if (key.is_string()) AppendJsonString(key.as_string(), out);
        else AppendJsonString(key.ToString(), out);
        out.push_back(':');
        AppendJson(item, out);
      }
      out.push_back('}');
      return;
    }
    case K::kStruct: {
      const Struct& s = v.as_struct();
      out.push_back('{');
      for (size_t i = 0; i < s.size(); ++i) {
        if (i) out.push_back(',');
        AppendJsonString(s.name(i), out);
        out.push_back(':');
        AppendJson(s.values[i], out);
      }
      out.push_back('}');
      return;
    }
  }
}

std::string ToJson(const Value& v) {
  std::string out;
  AppendJson(v, out);
  return out;
}

}  // namespace pipeline
