// `lines`: each line is one record whose value is a struct with the raw text in `message`
// (the field name Vector and Logstash use, so SQL can say WHERE MESSAGE LIKE '%…%').
#include "formats/formats_internal.h"

namespace pipeline {

namespace {

class LinesDecoder : public Decoder {
 public:
  LinesDecoder() {
    auto names = std::make_shared<FieldNames>();
    names->names = {"message"};
    names_ = std::move(names);
  }
  Status Decode(std::string_view bytes, Record& record) override {
    if (!bytes.empty() && bytes.back() == '\r') bytes.remove_suffix(1);
    Struct s;
    s.names = names_;
    s.values.emplace_back(std::string(bytes));
    record.value = Value(std::move(s));
    return {};
  }

 private:
  FieldNamesPtr names_;
};

class LinesEncoder : public Encoder {
 public:
  void Encode(const Record& record, std::string& out) override {
    const Value* message = record.value.Field("message");
    const Value& v = message ? *message : record.value;
    out += v.ToString();
  }
};

}  // namespace

std::unique_ptr<Decoder> MakeLinesDecoder() { return std::make_unique<LinesDecoder>(); }
std::unique_ptr<Encoder> MakeLinesEncoder() { return std::make_unique<LinesEncoder>(); }

}  // namespace pipeline
