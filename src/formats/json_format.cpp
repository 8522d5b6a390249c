// `json` and `pretty`: one JSON document per record value.
#include "formats/formats_internal.h"
#include "formats/json.h"

namespace pipeline {

namespace {

// "an array", "a string", ... for the error of a line that is not an object.
std::string_view KindArticle(Value::Kind kind) {
  switch (kind) {
    case Value::Kind::kArray: return "an array";
    case Value::Kind::kString: return "a string";
    case Value::Kind::kBool: return "a boolean";
    case Value::Kind::kNull: return "null";
    default: return "a number";
  }
}

class JsonDecoder : public Decoder {
 public:
  Status Decode(std::string_view bytes, Record& record) override { return DecodeInBuffer(bytes, 0, record); }
  Status DecodeInBuffer(std::string_view bytes, size_t readable_after, Record& record) override {
    auto value = reader_.Parse(bytes, readable_after);
    if (!value.ok()) return value.error();
    // A line is a record, and a record's value has fields: `[1,2,3]`, `"text"` or `42` would reach transforms
    // and sinks that expect fields (issue 19). SQL's own JSON value format, where a single-column schema takes a
    // bare value, reads Kafka messages and is not this decoder.
    if (!value->is_struct())
      return DataError("expected a JSON object, got " + std::string(KindArticle(value->kind())));
    record.value = std::move(*value);
    return {};
  }
  void Project(const FieldDemand& demand) override { reader_.Project(demand); }
  void ParseAhead(std::string_view lines, size_t readable_after) override { reader_.ParseAhead(lines, readable_after); }

 private:
  JsonReader reader_;
};

class JsonEncoder : public Encoder {
 public:
  void Encode(const Record& record, std::string& out) override {
    if (const std::string_view* raw = record.RawIn("json")) {
      out += *raw;
      return;
    }
    if (record.value.is_struct()) return AppendStruct(record.value.as_struct(), out);
    AppendJson(record.value, out);
  }

 private:
  // Top-level structs write their field names from text escaped once per shape: records of a stream share
  // their FieldNames, so escaping every name of every record again was most of the encoding work.
  void AppendStruct(const Struct& s, std::string& out) {
    if (s.names != shape_ || prefixes_.size() != s.size()) {
      shape_ = s.names;
      prefixes_.clear();
      for (size_t i = 0; i < s.size(); ++i) {
        std::string prefix(i == 0 ? "{" : ",");
        AppendJsonString(s.name(i), prefix);
        prefix += ':';
        prefixes_.push_back(std::move(prefix));
      }
    }
    if (s.size() == 0) out += '{';
    for (size_t i = 0; i < s.size(); ++i) {
      out += prefixes_[i];
      AppendJson(s.values[i], out);
    }
    out += '}';
  }

  FieldNamesPtr shape_;  // held, so that the pointer cannot be reused by another shape
  std::vector<std::string> prefixes_;  // `{"name":` for the first field, `,"name":` for the others
};

// Indented JSON for people reading a terminal.
class PrettyEncoder : public Encoder {
 public:
  void Encode(const Record& record, std::string& out) override { AppendPretty(record.value, 0, out); }

 private:
  static void Indent(int depth, std::string& out) { out.append(static_cast<size_t>(depth) * 2, ' '); }
  static void AppendPretty(const Value& v, int depth, std::string& out) {
    if (v.is_struct() && v.as_struct().size() > 0) {
      const Struct& s = v.as_struct();
      out += "{\n";
      for (size_t i = 0; i < s.size(); ++i) {
        Indent(depth + 1, out);
        AppendJsonString(s.name(i), out);
        out += ": ";
        AppendPretty(s.values[i], depth + 1, out);
        out += i + 1 < s.size() ? ",\n" : "\n";
      }
      Indent(depth, out);
      out += "}";
      return;
    }
    AppendJson(v, out);
  }
};

}  // namespace

std::unique_ptr<Decoder> MakeJsonDecoder() { return std::make_unique<JsonDecoder>(); }
std::unique_ptr<Encoder> MakeJsonEncoder() { return std::make_unique<JsonEncoder>(); }
std::unique_ptr<Encoder> MakePrettyEncoder() { return std::make_unique<PrettyEncoder>(); }

}  // namespace pipeline
