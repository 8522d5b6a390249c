#include "connectors/http/http_source.h"

#include <doctest/doctest.h>
#include <httplib.h>

#include <thread>

#include "connectors/http/http_source_body.h"

namespace pipeline::http {
namespace {

TEST_SUITE("connectors.http.source") {
  TEST_CASE("bodies: json object or array, ndjson, lines") {
    auto one = DecodeBody(R"({"a": 1})", IngestBodyFormat::kJson);
    REQUIRE(one.ok());
    CHECK(one->size() == 1);
    auto array = DecodeBody(R"([{"a": 1}, {"a": 2}])", IngestBodyFormat::kJson);
    REQUIRE(array.ok());
    CHECK(array->size() == 2);
    auto nd = DecodeBody("{\"a\": 1}\n\n{\"a\": 2}\r\n", IngestBodyFormat::kNdjson);
    REQUIRE(nd.ok());
    CHECK(nd->size() == 2);
    auto lines = DecodeBody("one\ntwo \"quoted\"\n", IngestBodyFormat::kLines);
    REQUIRE(lines.ok());
    REQUIRE(lines->size() == 2);
    CHECK((*lines)[1].as_struct().Find("message")->as_string() == "two \"quoted\"");
  }

  TEST_CASE("malformed bodies name the line and column") {
    auto json = DecodeBody("[\n  {\"a\": 1},\n  {\"a\" 2}\n]", IngestBodyFormat::kJson);
    REQUIRE_FALSE(json.ok());
    CHECK(json.error().message().starts_with("line 3, column 8: "));
    auto nd = DecodeBody("{\"a\": 1}\n{\"a\": tru}\n", IngestBodyFormat::kNdjson);
    REQUIRE_FALSE(nd.ok());
    CHECK(nd.error().message().starts_with("line 2, column 7: "));
    auto not_object = DecodeBody("{\"a\": 1}\n[1]\n", IngestBodyFormat::kNdjson);
    CHECK(not_object.error().message() == "line 2, column 1: expected a JSON object");
    CHECK(JsonErrorOffset("{\"a\": [1, 2") == 11);
    CHECK(JsonErrorOffset(std::string(100000, '[')) >= 0);  // deep nesting: located, no stack overflow
  }

  TEST_CASE("requests: 200 accepted, 400, 401, 429 when the queue is full, records read in order") {
    HttpSourceSettings settings;
    settings.port = 0;
    settings.path = "/events";
    settings.authorization = "Bearer s3cret";
    settings.queue_records = 3;
    HttpSource source(settings);
    SourceContext ctx;
    ctx.name = "events";
    REQUIRE(source.Open(ctx).ok());
    httplib::Client client("127.0.0.1", source.port());
    httplib::Headers auth = {{"Authorization", "Bearer s3cret"}};
    CHECK(client.Post("/events", "{\"n\": 1}", "application/json")->status == 401);
    CHECK(client.Post("/events", auth, "{\"n\": 1}\n{\"n\": 2}", "application/x-ndjson")->status == 200);
    auto bad = client.Post("/events", auth, "{\"n\": 3}\n{\"n\" 4}", "application/x-ndjson");
    CHECK(bad->status == 400);
    CHECK(bad->body.find("line 2, column 6") != std::string::npos);
    auto busy = client.Post("/events", auth, "{\"n\": 5}\n{\"n\": 6}", "application/x-ndjson");
    CHECK(busy->status == 429);
    CHECK(busy->get_header_value("Retry-After") == "1");
    Batch batch;
    REQUIRE(source.Read(batch, {}).ok());
    REQUIRE(batch.size() == 2);
    CHECK(batch.records[1].value.as_struct().Find("n")->as_int() == 2);
    CHECK(batch.records[0].topic == "events");
    CHECK(client.Post("/other", auth, "{}", "application/json")->status == 404);
    source.Close();
  }

  TEST_CASE("ack: delivered answers once Commit covers the request") {
    HttpSourceSettings settings;
    settings.port = 0;
    settings.ack_delivered = true;
    HttpSource source(settings);
    SourceContext ctx;
    ctx.name = "d";
    REQUIRE(source.Open(ctx).ok());
    int status = 0;
    std::thread sender([&] {
      httplib::Client client("127.0.0.1", source.port());
      status = client.Post("/", "{\"n\": 1}", "application/x-ndjson")->status;
    });
    Batch batch;
    while (batch.empty()) REQUIRE(source.Read(batch, {}).ok());
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    CHECK(status == 0);  // not delivered yet
    LanePositions acked;
    acked[batch.progress[0].lane] = batch.progress[0];
    REQUIRE(source.Commit(acked).ok());
    sender.join();
    CHECK(status == 200);
    source.Close();
  }
}

}  // namespace
}  // namespace pipeline::http
