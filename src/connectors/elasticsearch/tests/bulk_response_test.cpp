#include <doctest/doctest.h>

#include "connectors/elasticsearch/bulk_response.h"
#include "connectors/elasticsearch/server_flavor.h"

using namespace pipeline;
using namespace pipeline::elasticsearch;

TEST_SUITE("connectors.elasticsearch") {
  TEST_CASE("a bulk response: every item in order, with status, result and the server's reason") {
    const char* body = R"({"took":3,"errors":true,"items":[
      {"index":{"_index":"r","_id":"1","_version":1,"result":"created","status":201}},
      {"index":{"_index":"r","_id":"2","status":400,"error":{"type":"mapper_parsing_exception",
        "reason":"failed to parse field [n]","caused_by":{"type":"x","reason":"not a number"}}}},
      {"delete":{"_index":"r","_id":"3","result":"not_found","status":404}},
      {"create":{"_index":"r","_id":"4","status":429,"error":{"type":"es_rejected_execution_exception",
        "reason":"queue full"}}},
      {"index":{"_index":"r","_id":"5","status":409,"error":{"type":"version_conflict_engine_exception",
        "reason":"[5]: version conflict"}}}]})";
    auto items = ReadBulkResponse(body, 5);
    REQUIRE(items.ok());
    REQUIRE(items->size() == 5);
    CHECK(FateOf((*items)[0], BulkOp::kIndex, false) == ItemFate::kDelivered);
    CHECK(FateOf((*items)[1], BulkOp::kIndex, false) == ItemFate::kRejected);
    CHECK(RefusalMessage((*items)[1]) == "elasticsearch refused the document (400 mapper_parsing_exception): failed "
                                         "to parse field [n] (caused by: not a number)");
    CHECK(FateOf((*items)[2], BulkOp::kDelete, false) == ItemFate::kDelivered);
    CHECK(FateOf((*items)[3], BulkOp::kCreate, false) == ItemFate::kRetry);
    CHECK(FateOf((*items)[4], BulkOp::kIndex, true) == ItemFate::kDelivered);  // a newer version is there
    CHECK(FateOf((*items)[4], BulkOp::kIndex, false) == ItemFate::kRejected);
    ItemResult unavailable{503, "", "unavailable_shards_exception", "primary shard is not active"};
    CHECK(FateOf(unavailable, BulkOp::kIndex, false) == ItemFate::kRetry);
  }

  TEST_CASE("an answer that cannot be matched to the items sent is an error, never a guess") {
    CHECK_FALSE(ReadBulkResponse("not json", 1).ok());
    CHECK_FALSE(ReadBulkResponse(R"({"took":1,"errors":false})", 1).ok());
    CHECK_FALSE(ReadBulkResponse(R"({"items":[{"index":{"status":201}}]})", 2).ok());
    CHECK_FALSE(ReadBulkResponse(R"({"items":[{"index":{"result":"created"}}]})", 1).ok());
    CHECK_FALSE(ReadBulkResponse(R"({"items":[7]})", 1).ok());
  }

  TEST_CASE("GET / tells Elasticsearch 7 and 8 and OpenSearch apart") {
    std::string header = "Elasticsearch";
    auto es8 = ReadServerFlavor(R"({"version":{"number":"8.11.3","build_flavor":"default"}})", &header);
    REQUIRE(es8.ok());
    CHECK(es8->major == 8);
    CHECK(es8->Describe() == "Elasticsearch 8.11.3");
    auto es7 = ReadServerFlavor(R"({"version":{"number":"7.10.2"}})", nullptr);
    REQUIRE(es7.ok());
    CHECK(es7->major == 7);
    auto os = ReadServerFlavor(R"({"version":{"distribution":"opensearch","number":"2.11.1"}})", nullptr);
    REQUIRE(os.ok());
    CHECK(os->product == Product::kOpenSearch);
    CHECK_FALSE(ReadServerFlavor(R"({"version":{"number":"8.1.0"}})", nullptr).ok());  // no product header
    CHECK_FALSE(ReadServerFlavor(R"({"version":{"number":"6.8.0"}})", &header).ok());
    CHECK_FALSE(ReadServerFlavor("<html>", nullptr).ok());
  }
}

TEST_SUITE("connectors.elasticsearch") {
  TEST_CASE("the response reader survives mangled answers: an error or items, never a crash") {
    const std::string good = R"({"took":3,"errors":true,"items":[{"index":{"_index":"r","_id":"1","status":201,)"
                             R"("result":"created"}},{"delete":{"_id":"2","status":400,"error":{"type":"t",)"
                             R"("reason":"r","caused_by":{"reason":"c"}}}}]})";
    uint64_t state = 42;
    auto next = [&] { return state = state * 6364136223846793005ULL + 1442695040888963407ULL; };
    for (int round = 0; round < 5000; ++round) {
      std::string mangled = good;
      for (int edits = 1 + static_cast<int>(next() % 4); edits > 0; --edits) {
        size_t at = next() % mangled.size();
        switch (next() % 3) {
          case 0: mangled[at] = static_cast<char>(next() % 256); break;
          case 1: mangled.erase(at, 1 + next() % 8); break;
          default: mangled.insert(at, std::string(1, "{}[]\",:0n"[next() % 9])); break;
        }
        if (mangled.empty()) mangled = "{";
      }
      auto items = ReadBulkResponse(mangled, 2);
      if (items.ok()) CHECK(items->size() == 2);
    }
  }
}
