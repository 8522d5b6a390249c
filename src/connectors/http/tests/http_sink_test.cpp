#include <doctest/doctest.h>

#include "connectors/http/http_sink.h"
#include "connectors/http/response_verdict.h"
#include "connectors/http/tests/scripted_http_server.h"
#include "formats/json.h"
#include "plugin/registry.h"

using namespace pipeline;
using namespace pipeline::http;
using pipeline::http::testing::ScriptedHttpServer;

namespace {

std::string Answer(int status, const std::string& body = "", const std::string& extra_headers = "") {
  return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
         extra_headers + "\r\n" + body;
}

HttpSinkSettings Settings(const std::string& yaml) {
  const ComponentSpec* spec = BuiltinRegistry().FindSpec(ComponentKind::kSink, "http");
  REQUIRE(spec);
  auto settings = ParseHttpSinkSettings(Options(spec, YAML::Load(yaml), "p.yaml"));
  REQUIRE_MESSAGE(settings.ok(), settings.error().message());
  settings->retry.initial_backoff = std::chrono::milliseconds(1);
  return std::move(*settings);
}

BatchPtr BatchOf(const std::vector<std::string>& json_values) {
  auto batch = std::make_shared<Batch>();
  for (const auto& json : json_values) {
    Record r;
    r.topic = "alerts";
    r.value = *ParseJson(json);
    batch->records.push_back(std::move(r));
  }
  return batch;
}

std::string BodyOf(const std::string& request) { return request.substr(request.find("\r\n\r\n") + 4); }

struct OpenSink {
  explicit OpenSink(HttpSinkSettings settings) : sink(std::move(settings)) { REQUIRE(sink.Open(ctx).ok()); }
  SinkContext ctx;
  HttpSink sink;
};

}  // namespace

TEST_SUITE("connectors.http.sink") {
  TEST_CASE("a JSON body template escapes what it inserts") {
    ScriptedHttpServer server({{Answer(200)}, {Answer(200)}});
    OpenSink s(Settings("url: " + server.url("/hook") +
                        "\nbody: '{\"text\": \"Unhappy platinum customer {full_name}: {message}\"}'"));
    REQUIRE(s.sink.Write(BatchOf({R"({"full_name": "Ann \"The\" Lee", "message": "line 1\nline 2 \u00e9\u2603"})",
                                  R"({"full_name": "Bo", "message": "back\\slash"})"}))
                .ok());
    REQUIRE(s.sink.Flush().ok());
    auto requests = server.requests();
    REQUIRE(requests.size() == 2);
    CHECK(requests[0].find("Content-Type: application/json\r\n") != std::string::npos);
    CHECK(BodyOf(requests[0]) == "{\"text\": \"Unhappy platinum customer Ann \\\"The\\\" Lee: line 1\\nline 2 "
                                 "\u00e9\u2603\"}");
    CHECK(ParseJson(BodyOf(requests[0])).ok());
    CHECK(BodyOf(requests[1]) == "{\"text\": \"Unhappy platinum customer Bo: back\\\\slash\"}");
    CHECK(s.ctx.rejections->Take().empty());
  }

  TEST_CASE("a template that is not JSON is sent as text, values as they are") {
    HttpSinkSettings settings = Settings("url: http://127.0.0.1:1/\nbody: 'customer {full_name} said \"{message}'");
    CHECK_FALSE(settings.json_escape);
    CHECK(settings.content_type == "text/plain; charset=utf-8");
    CHECK(Settings("url: http://x/\nbody: '{{\"a\": {count}}}'").content_type == "text/plain; charset=utf-8");
    CHECK(Settings("url: http://x/\nbody: '{{\"a\": \"{count}\"}}'").content_type == "application/json");
    CHECK(Settings("url: http://x/\nformat: ndjson").content_type == "application/x-ndjson");
  }

  TEST_CASE("a 4xx rejects its record with the answer's body; 429 and 5xx are retried") {
    ScriptedHttpServer server({{Answer(200)},
                               {Answer(400, "{\"error\": \"invalid_payload\"}")},
                               {Answer(429, "slow down", "Retry-After: 0\r\n")},
                               {Answer(503)},
                               {Answer(204)}});
    OpenSink s(Settings("url: " + server.url("/h") + "\nformat: json"));
    REQUIRE(s.sink.Write(BatchOf({R"({"n": 1})", R"({"n": 2})", R"({"n": 3})"})).ok());
    auto rejected = s.ctx.rejections->Take();
    REQUIRE(rejected.size() == 1);
    CHECK(rejected[0].record.value.Field("n")->as_int() == 2);
    CHECK(rejected[0].error.kind() == ErrorKind::kData);
    CHECK(rejected[0].error.message() == "HTTP 400 from " + server.url("/h") + ": {\"error\": \"invalid_payload\"}");
    auto requests = server.requests();
    REQUIRE(requests.size() == 5);
    CHECK(BodyOf(requests[2]) == "{\"n\":3}");
    CHECK(BodyOf(requests[4]) == "{\"n\":3}");
  }

  TEST_CASE("ndjson and json_array batches follow the batch limits") {
    ScriptedHttpServer server({{Answer(200)}, {Answer(200)}, {Answer(200)}});
    OpenSink s(Settings("url: " + server.url() + "\nformat: ndjson\nbatch: {max_records: 2, max_age: 1h}"));
    REQUIRE(s.sink.Write(BatchOf({R"({"n": 1})", R"({"n": 2})", R"({"n": 3})"})).ok());
    REQUIRE(s.sink.Write(BatchOf({R"({"n": 4})", R"({"n": 5})"})).ok());
    CHECK(server.requests().size() == 2);
    REQUIRE(s.sink.Flush().ok());
    auto requests = server.requests();
    REQUIRE(requests.size() == 3);
    CHECK(BodyOf(requests[0]) == "{\"n\":1}\n{\"n\":2}\n");
    CHECK(BodyOf(requests[1]) == "{\"n\":3}\n{\"n\":4}\n");
    CHECK(BodyOf(requests[2]) == "{\"n\":5}\n");

    ScriptedHttpServer arrays({{Answer(422, "bad")}});
    OpenSink a(Settings("url: " + arrays.url() + "\nformat: json_array"));
    REQUIRE(a.sink.Write(BatchOf({R"({"n": 1})", R"("two")"})).ok());
    REQUIRE(a.sink.Flush().ok());
    CHECK(BodyOf(arrays.requests().at(0)) == "[{\"n\":1},\"two\"]");
    CHECK(a.ctx.rejections->Take().size() == 2);  // the whole request was refused
  }

  TEST_CASE("a refused credential stops the pipeline instead of rejecting every record") {
    ScriptedHttpServer server({{Answer(401, "bad token")}});
    OpenSink s(Settings("url: " + server.url() + "\nauth: {type: bearer, token: t}"));
    Status written = s.sink.Write(BatchOf({R"({"n": 1})"}));
    REQUIRE_FALSE(written.ok());
    CHECK(written.error().kind() == ErrorKind::kFatal);
    CHECK(written.message().find("HTTP 401") == 0);
  }

  TEST_CASE("braces of JSON need no doubling in a body") {
    CHECK(BracesOfJsonAsLiterals(R"({"a": {"b": "{x.y}"}, "c": {}})") == R"({{"a": {{"b": "{x.y}"}}, "c": {{}}}})");
    auto body = ParseBodyTemplate(R"({"a": {"b": "{x.y}"}})");
    REQUIRE(body.ok());
    Record r;
    r.value = *ParseJson(R"({"x": {"y": 5}})");
    CHECK(body->Render(r) == R"({"a": {"b": "5"}})");
    auto typo = ParseBodyTemplate(R"({"d": "{dat}"})");
    REQUIRE_FALSE(typo.ok());
    CHECK(typo.error().message().find("unknown placeholder {dat}") != std::string::npos);
    auto doubled = ParseBodyTemplate(R"({{"t": "{x.y}"}})");  // written in the template language: kept as such
    REQUIRE(doubled.ok());
    CHECK(doubled->Render(r) == R"({"t": "5"})");
  }

  TEST_CASE("retry.max_elapsed ends the retries with the last answer") {
    ScriptedHttpServer server(std::vector<testing::ScriptedReply>(100, {Answer(503, "maintenance")}));
    HttpSinkSettings settings = Settings("url: " + server.url());
    settings.retry.max_elapsed = std::chrono::milliseconds(200);
    OpenSink s(std::move(settings));
    Status written = s.sink.Write(BatchOf({R"({"n": 1})"}));
    REQUIRE_FALSE(written.ok());
    CHECK(written.error().kind() == ErrorKind::kFatal);
    CHECK(written.message().find("HTTP 503 from " + server.url() + ": maintenance (gave up after retrying") == 0);
    CHECK(server.requests().size() >= 2);
  }

  TEST_CASE("verdicts") {
    auto verdict = [](int status) {
      HttpResponse r;
      r.status = status;
      return VerdictOf(r);
    };
    CHECK(verdict(200) == Verdict::kDelivered);
    CHECK(verdict(202) == Verdict::kDelivered);
    CHECK(verdict(400) == Verdict::kReject);
    CHECK(verdict(404) == Verdict::kReject);
    CHECK(verdict(408) == Verdict::kRetry);
    CHECK(verdict(429) == Verdict::kRetry);
    CHECK(verdict(500) == Verdict::kRetry);
    CHECK(verdict(503) == Verdict::kRetry);
    CHECK(verdict(403) == Verdict::kFail);
    CHECK(verdict(301) == Verdict::kFail);
    HttpResponse refused;
    refused.transport = TransportError::kConnectionRefused;
    CHECK(VerdictOf(refused) == Verdict::kRetry);
    HttpResponse tls;
    tls.transport = TransportError::kTls;
    CHECK(VerdictOf(tls) == Verdict::kFail);
  }
}
