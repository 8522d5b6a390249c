#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "formats/dead_letter_envelope.h"
#include "formats/format.h"
#include "formats/json.h"
#include "plugin/dead_letter.h"

namespace pipeline {
namespace {

std::string Envelope(const DeadLetter& letter) {
  std::string out;
  AppendDeadLetterEnvelope(letter, out);
  return out;
}

Record Sample() {
  Record r;
  r.key = Value(int64_t{7});
  auto parsed = ParseJson(R"({"id":7,"name":"Zoë"})");
  REQUIRE(parsed.ok());
  r.value = *parsed;
  r.headers = {{"origin", "shop"}, {"trace", std::nullopt}, {"bin", std::string("\xff\x01", 2)}};
  r.topic = "orders";
  r.partition = 2;
  r.timestamp = 1764901800123;
  r.position = Position{Lanes::Intern("orders/2"), 42};
  return r;
}

std::string TempPath(const std::string& name) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "pipe-dlq-test-XXXXXX").string();
  return std::string(::mkdtemp(tmpl.data())) + "/" + name;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_SUITE("plugin.dead_letter") {
  TEST_CASE("the envelope names the stage, the error and every part of the record") {
    Record r = Sample();
    DeadLetter letter{.stage = FailedStage::kSink, .component = "out", .error = DataError("bulk item 3: mapping"),
                      .record = &r, .time_ms = 1764901800123};
    auto parsed = ParseJson(Envelope(letter));
    REQUIRE(parsed.ok());
    const Value& e = *parsed;
    CHECK(e.Field("time")->as_string() == "2025-12-05T02:30:00.123Z");
    CHECK(e.Field("stage")->as_string() == "sink");
    CHECK(e.Field("component")->as_string() == "out");
    CHECK(e.Field("error")->Field("kind")->as_string() == "data");
    CHECK(e.Field("error")->Field("message")->as_string() == "bulk item 3: mapping");
    const Value& rec = *e.Field("record");
    CHECK(rec.Field("key")->as_int() == 7);
    CHECK(rec.Field("value")->Field("name")->as_string() == "Zoë");  // UTF-8 stays a value
    CHECK(rec.Field("raw_base64") == nullptr);
    CHECK(rec.Field("topic")->as_string() == "orders");
    CHECK(rec.Field("partition")->as_int() == 2);
    CHECK(rec.Field("position")->as_string() == "orders/2@42");
    CHECK(rec.Field("timestamp")->as_int() == 1764901800123);
    const Array& headers = rec.Field("headers")->as_array();
    REQUIRE(headers.size() == 3);
    CHECK(headers[0].Field("value")->as_string() == "shop");
    CHECK(headers[1].Field("value")->is_null());
    CHECK(headers[2].Field("value_base64")->as_string() == "/wE=");
  }

  TEST_CASE("bytes never decoded, or a value that is not UTF-8, go in raw_base64") {
    Record r;
    DeadLetter undecoded{.stage = FailedStage::kDecode, .error = DataError("bad json"), .record = &r,
                         .undecoded = std::string_view("{oops")};
    auto a = ParseJson(Envelope(undecoded));
    REQUIRE(a.ok());
    CHECK(a->Field("record")->Field("raw_base64")->as_string() == "e29vcHM=");
    CHECK(a->Field("record")->Field("value") == nullptr);

    r.value = Value(std::string("bad\xff"));
    DeadLetter not_utf8{.stage = FailedStage::kTransform, .error = DataError("x"), .record = &r};
    auto b = ParseJson(Envelope(not_utf8));
    REQUIRE(b.ok());
    CHECK(b->Field("record")->Field("raw_base64")->as_string() == "YmFk/w==");
  }

  TEST_CASE("the dead_letter format reads an envelope back as the original record") {
    Record original = Sample();
    DeadLetter letter{.stage = FailedStage::kSink, .error = DataError("no"), .record = &original};
    auto decoder = MakeDecoder("dead_letter");
    REQUIRE(decoder.ok());
    CHECK((*decoder)->CarriesRecordMetadata());
    Record back;
    REQUIRE((*decoder)->Decode(Envelope(letter), back).ok());
    CHECK(back.key == original.key);
    CHECK(back.value == original.value);
    CHECK(back.headers == original.headers);
    CHECK(back.topic == original.topic);
    CHECK(back.partition == original.partition);
    CHECK(back.timestamp == original.timestamp);

    Record not_an_envelope;
    Status s = (*decoder)->Decode(R"({"id": 1})", not_an_envelope);
    REQUIRE(!s.ok());
    CHECK(s.message().find("record") != std::string::npos);
  }

  TEST_CASE("the file writer appends lines, shares one writer per path and syncs only what is new") {
    std::string path = TempPath("dlq/dead.jsonl");  // the folder is created at the first write
    auto queue = OpenDeadLetterFile(path);
    CHECK(OpenDeadLetterFile(path) == queue);
    CHECK(!std::filesystem::exists(path));  // nothing opened before the first letter
    CHECK(queue->Sync().ok());
    Record r = Sample();
    for (int i = 0; i < 3; ++i)
      REQUIRE(queue->Write(DeadLetter{.stage = FailedStage::kSql, .error = DataError("e"), .record = &r}).ok());
    REQUIRE(queue->Sync().ok());
    std::string text = ReadAll(path);
    CHECK(std::count(text.begin(), text.end(), '\n') == 3);
    CHECK(text.find("\"stage\":\"sql\"") != std::string::npos);
    CHECK(queue->Describe() == "file " + path);
    std::filesystem::remove_all(std::filesystem::path(path).parent_path().parent_path());
  }

  TEST_CASE("a target with a scheme names a registered target; anything else is a file path") {
    CHECK(DeadLetterScheme("kafka://a:9092,b:9092/dlq") == "kafka");
    CHECK(DeadLetterScheme("/var/lib/pipe/dlq.jsonl").empty());
    CHECK(DeadLetterScheme("./odd://name").empty());
    auto unknown = OpenDeadLetterQueue("s3://bucket/dlq");
    REQUIRE(!unknown.ok());
    CHECK(unknown.error().kind() == ErrorKind::kConfig);
    CHECK(unknown.error().message().find("unknown target 's3://'") != std::string::npos);
  }

  TEST_CASE("on_error has one parser") {
    CHECK(ParseOnError("fail") == OnError::kFail);
    CHECK(ParseOnError("skip") == OnError::kSkip);
    CHECK(ParseOnError("dead_letter") == OnError::kDeadLetter);
    CHECK(!ParseOnError("drop").has_value());
  }
}

}  // namespace pipeline
