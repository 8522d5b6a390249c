#include "connectors/kafka/raw_payload_block.h"

#include <doctest/doctest.h>

#include <string>

using namespace pipeline;
using namespace pipeline::kafka;

TEST_SUITE("connectors.kafka") {
  TEST_CASE("raw payloads stay readable, padded, while any record holds them") {
    auto block = std::make_shared<RawPayloadBlock>(2);
    std::string big(100000, 'x');  // larger than one buffer: gets its own
    std::string_view a = block->Copy("{\"a\":1}", 7);
    std::string_view b = block->Copy(big.data(), big.size());
    std::string_view c = block->Copy("{\"c\":3}", 7);
    CHECK(a == "{\"a\":1}");
    CHECK(b == big);
    CHECK(c == "{\"c\":3}");
    Value decoded = MakeStruct({{"a", Value(int64_t{1})}});
    std::shared_ptr<const RawValue> raw_a = RawPayloadBlock::Add(block, a, decoded);
    std::shared_ptr<const RawValue> raw_b = RawPayloadBlock::Add(block, b, decoded);
    std::shared_ptr<const RawValue> raw_c = RawPayloadBlock::Add(block, c, decoded);  // past the reserve
    // The records keep the block alive.
    block.reset();
    CHECK(raw_a->bytes == "{\"a\":1}");
    CHECK(raw_b->bytes.size() == big.size());
    CHECK(raw_c->bytes == "{\"c\":3}");
    CHECK(raw_a->format == "json");
    CHECK(raw_a->Describes(decoded));
  }

  TEST_CASE("a record's raw bytes stand for its value only while the value is the decoded one") {
    Value decoded = MakeStruct({{"status", Value(int64_t{404})}});
    Record r;
    r.value = decoded;
    r.raw = MakeRawValue("json", "{\"status\":404,\"page\":\"/\"}", decoded);
    REQUIRE(r.RawIn("json"));
    CHECK(*r.RawIn("json") == "{\"status\":404,\"page\":\"/\"}");
    CHECK(!r.RawIn("csv"));
    r.value = MakeStruct({{"status", Value(int64_t{404})}});  // an equal value, but a new one
    CHECK(!r.RawIn("json"));
  }
}
