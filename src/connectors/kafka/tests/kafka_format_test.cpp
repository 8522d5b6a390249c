#include <doctest/doctest.h>

#include "connectors/kafka/kafka_format.h"

using namespace pipeline;
using namespace pipeline::kafka;

TEST_SUITE("connectors.kafka") {
  TEST_CASE("KAFKA_* primitives round-trip in big-endian") {
    for (auto [format, value] : std::vector<std::pair<KafkaFormat, Value>>{
             {KafkaFormat::kInt, Value(int64_t{-7})},
             {KafkaFormat::kBigint, Value(int64_t{1} << 40)},
             {KafkaFormat::kDouble, Value(2.5)},
             {KafkaFormat::kString, Value("héllo")}}) {
      std::string bytes;
      bool is_null = true;
      REQUIRE(EncodePayload(format, value, bytes, &is_null).ok());
      CHECK_FALSE(is_null);
      PayloadDecoder decoder(format);
      Value back;
      REQUIRE(decoder.Decode(bytes.data(), bytes.size(), back).ok());
      CHECK(back == value);
    }
    std::string bytes;
    bool is_null = false;
    REQUIRE(EncodePayload(KafkaFormat::kInt, Value(int64_t{1}), bytes, &is_null).ok());
    CHECK(bytes == std::string("\0\0\0\1", 4));
  }

  TEST_CASE("null payloads stay null and wrong sizes are data errors") {
    PayloadDecoder decoder(KafkaFormat::kJson);
    Value v = Value(1);
    REQUIRE(decoder.Decode(nullptr, 0, v).ok());
    CHECK(v.is_null());
    std::string out;
    bool is_null = false;
    REQUIRE(EncodePayload(KafkaFormat::kJson, Value(), out, &is_null).ok());
    CHECK(is_null);
    PayloadDecoder ints(KafkaFormat::kInt);
    Status s = ints.Decode("abc", 3, v);
    CHECK_FALSE(s.ok());
    CHECK(s.error().kind() == ErrorKind::kData);
    CHECK_FALSE(EncodePayload(KafkaFormat::kInt, Value("x"), out, &is_null).ok());
  }

  TEST_CASE("json and lines values") {
    PayloadDecoder json(KafkaFormat::kJson);
    Value v;
    std::string text = R"({"status":404,"ip":"10.0.0.1"})";
    REQUIRE(json.Decode(text.data(), text.size(), v).ok());
    CHECK(v.Field("status")->as_int() == 404);
    std::string out;
    bool is_null = false;
    REQUIRE(EncodePayload(KafkaFormat::kJson, v, out, &is_null).ok());
    CHECK(out == text);
    PayloadDecoder lines(KafkaFormat::kLines);
    REQUIRE(lines.Decode("a b", 3, v).ok());
    CHECK(v.Field("message")->as_string() == "a b");
    out.clear();
    REQUIRE(EncodePayload(KafkaFormat::kLines, v, out, &is_null).ok());
    CHECK(out == "a b");
    CHECK_FALSE(ParseKafkaFormat("avro").ok());
  }

  TEST_CASE("a single-field key struct is written as its field (ksqlDB KAFKA keys)") {
    std::string out;
    bool is_null = false;
    REQUIRE(EncodePayload(KafkaFormat::kString, MakeStruct({{"userid", Value("u1")}}), out, &is_null).ok());
    CHECK(out == "u1");
  }
}
