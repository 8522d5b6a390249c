// `json` and `pretty`: one JSON document per record value.
#include "formats/formats_internal.h"
#include "formats/json.h"

namespace pipeline {

namespace {

class JsonDecoder : public Decoder {
 public:
  Status Decode(std::string_view bytes, Record& record) override { return DecodeInBuffer(bytes, 0, record); }
  Status DecodeInBuffer(std::string_view bytes, size_t readable_after, Record& record) override {
    auto value = reader_.Parse(bytes, readable_after);
    if (!value.ok()) return value.error();
    record.value = std::move(*value);
    return {};
  }
  void Project(const FieldDemand& demand) override { reader_.Project(demand); }

 private:
  JsonReader reader_;
};

class JsonEncoder : public Encoder {
 public:
  void Encode(const Record& record, std::string& out) override {
    if (const std::string* raw = record.RawIn("json")) {
      out += *raw;
      return;
    }
    AppendJson(record.value, out);
  }
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
