#include <doctest/doctest.h>

#include "connectors/elasticsearch/bulk_item.h"
#include "connectors/elasticsearch/document_json.h"

using namespace pipeline;
using namespace pipeline::elasticsearch;

namespace {

ElasticsearchSettings Settings(std::string index = "{topic}") {
  ElasticsearchSettings s;
  s.name = "search";
  s.urls = {"http://127.0.0.1:9200"};
  s.index = *RecordTemplate::Parse(index);
  return s;
}

Record Rec(Value key, Value value, std::string topic = "ratings") {
  Record r;
  r.key = std::move(key);
  r.value = std::move(value);
  r.topic = std::move(topic);
  r.position = Position{Lanes::Intern("ratings/0"), 42, 0};
  r.timestamp = 1'764'901'800'123;  // 2025-12-05T02:30:00.123Z
  return r;
}

}  // namespace

TEST_SUITE("connectors.elasticsearch") {
  TEST_CASE("an indexed record: action line with index and key id, then the document") {
    auto s = Settings();
    BulkItemBuilder builder(s);
    auto item = builder.Build(Rec("u1", MakeStruct({{"stars", 4}, {"who", "ada"}})));
    REQUIRE(item.ok());
    CHECK(item->op == BulkOp::kIndex);
    CHECK(item->lines == "{\"index\":{\"_index\":\"ratings\",\"_id\":\"u1\"}}\n{\"stars\":4,\"who\":\"ada\"}\n");
  }

  TEST_CASE("a tombstone deletes; update wraps the document with doc_as_upsert") {
    auto s = Settings("r-{date}");
    s.action = WriteAction::kUpdate;
    BulkItemBuilder builder(s);
    auto gone = builder.Build(Rec(int64_t{7}, Value()));
    REQUIRE(gone.ok());
    CHECK(gone->lines == "{\"delete\":{\"_index\":\"r-2025-12-05\",\"_id\":\"7\"}}\n");
    auto update = builder.Build(Rec("k", MakeStruct({{"a", 1}})));
    REQUIRE(update.ok());
    CHECK(update->lines ==
          "{\"update\":{\"_index\":\"r-2025-12-05\",\"_id\":\"k\"}}\n{\"doc\":{\"a\":1},\"doc_as_upsert\":true}\n");
  }

  TEST_CASE("external versions come from the position; ids from the position name it") {
    auto s = Settings();
    s.external_versions = true;
    s.id = IdSource::kPosition;
    BulkItemBuilder builder(s);
    auto item = builder.Build(Rec(Value(), MakeStruct({{"a", 1}})));
    REQUIRE(item.ok());
    CHECK(item->lines == "{\"index\":{\"_index\":\"ratings\",\"_id\":\"ratings/0@42\",\"version\":44040192,"
                         "\"version_type\":\"external\"}}\n{\"a\":1}\n");
    CHECK(*ExternalVersion(Position{1, 3, 2}) > *ExternalVersion(Position{1, 3, 1}));
    CHECK(*ExternalVersion(Position{1, 4, 0}) > *ExternalVersion(Position{1, 3, 999'999}));
    CHECK_FALSE(ExternalVersion(Position{1, int64_t{1} << 50, 0}).ok());
  }

  TEST_CASE("records that cannot be documents are data errors that say why") {
    auto s = Settings();
    s.id = IdSource::kKey;
    BulkItemBuilder builder(s);
    auto no_key = builder.Build(Rec(Value(), MakeStruct({{"a", 1}})));
    REQUIRE_FALSE(no_key.ok());
    CHECK(no_key.error().kind() == ErrorKind::kData);
    CHECK(no_key.error().message().find("no key") != std::string::npos);
    auto upper = builder.Build(Rec("k", MakeStruct({{"a", 1}}), "Ratings"));
    REQUIRE_FALSE(upper.ok());
    CHECK(upper.error().message().find("upper-case") != std::string::npos);
    s.delete_on_tombstone = false;
    CHECK_FALSE(builder.Build(Rec("k", Value())).ok());
    s.id = IdSource::kAuto;
    s.delete_on_tombstone = true;
    CHECK_FALSE(builder.Build(Rec("k", Value())).ok());
  }

  TEST_CASE("auto ids are assigned once per record and differ between records") {
    auto s = Settings();
    s.id = IdSource::kAuto;
    BulkItemBuilder builder(s);
    auto a = builder.Build(Rec("k", MakeStruct({{"a", 1}})));
    auto b = builder.Build(Rec("k", MakeStruct({{"a", 1}})));
    REQUIRE((a.ok() && b.ok()));
    CHECK(a->id.size() == 20);
    CHECK(a->id != b->id);
  }

  TEST_CASE("documents: timestamps and dates as ISO 8601 or epoch ms, decimals as numbers or strings") {
    Value v = MakeStruct({{"at", Timestamp{1'764'901'800'123}}, {"day", Date{20'427}},
                          {"price", Decimal{12345, 10, 2}}, {"tags", Array{Value("a"), Value(int64_t{1})}}});
    std::string iso;
    AppendDocument(v, DocumentFormat{}, iso);
    CHECK(iso == "{\"at\":\"2025-12-05T02:30:00.123Z\",\"day\":\"2025-12-05\",\"price\":123.45,\"tags\":[\"a\",1]}");
    std::string epoch;
    AppendDocument(v, DocumentFormat{false, true}, epoch);
    CHECK(epoch == "{\"at\":1764901800123,\"day\":1764892800000,\"price\":\"123.45\",\"tags\":[\"a\",1]}");
    std::string line;
    AppendDocument(Value("GET /index.html"), DocumentFormat{}, line);
    CHECK(line == "{\"message\":\"GET /index.html\"}");
    CHECK(IsoTimestamp(-1) == "1969-12-31T23:59:59.999Z");
  }
}
