#include <doctest/doctest.h>
#include <zlib.h>

#include "connectors/http/http_client.h"
#include "connectors/http/tests/scripted_http_server.h"

using namespace pipeline;
using namespace pipeline::http;
using pipeline::http::testing::ScriptedHttpServer;
using namespace std::chrono_literals;

namespace {

std::string Answer(int status, const std::string& body, const std::string& extra_headers = "") {
  return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
         extra_headers + "\r\n" + body;
}

std::string Gunzip(const std::string& data) {
  z_stream stream{};
  inflateInit2(&stream, 15 + 16);
  std::string out(1 << 16, '\0');
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = reinterpret_cast<Bytef*>(out.data());
  stream.avail_out = static_cast<uInt>(out.size());
  inflate(&stream, Z_FINISH);
  out.resize(stream.total_out);
  inflateEnd(&stream);
  return out;
}

}  // namespace

TEST_SUITE("connectors.http.client") {
  TEST_CASE("a request goes out with its method, headers, body and auth; the answer comes back") {
    ScriptedHttpServer server({{Answer(201, "created", "X-Request-Id: 7\r\n")}, {Answer(200, "again")}});
    HttpClient client(HttpClientSettings{.auth = {.type = AuthType::kBearer, .token = "s3cret"}});
    HttpRequest request{.method = "PUT", .url = server.url("/hook?a=1"), .body = "{\"text\": \"h\\u00e9\"}"};
    request.headers.Add("Content-Type", "application/json");
    HttpResponse response = client.Send(request);
    REQUIRE(response.answered());
    CHECK(response.status == 201);
    CHECK(response.body == "created");
    REQUIRE(response.headers.Find("x-request-id"));
    CHECK(*response.headers.Find("X-REQUEST-ID") == "7");
    CHECK_FALSE(response.headers.Find("Retry-After"));
    HttpResponse second = client.Send(HttpRequest{.url = server.url("/"), .body = "b"});
    CHECK(second.status == 200);
    auto requests = server.requests();
    REQUIRE(requests.size() == 2);
    CHECK(requests[0].starts_with("PUT /hook?a=1 HTTP/1.1\r\n"));
    CHECK(requests[0].find("Authorization: Bearer s3cret\r\n") != std::string::npos);
    CHECK(requests[0].find("Content-Type: application/json\r\n") != std::string::npos);
    CHECK(requests[0].ends_with("\r\n\r\n{\"text\": \"h\\u00e9\"}"));
    CHECK(requests[1].starts_with("POST / HTTP/1.1\r\n"));
    CHECK(server.connections() == 1);  // the connection was reused
  }

  TEST_CASE("gzip bodies are compressed and marked") {
    ScriptedHttpServer server({{Answer(200, "")}});
    HttpClient client(HttpClientSettings{});
    const std::string body(5000, 'a');
    HttpResponse response = client.Send(HttpRequest{.url = server.url(), .body = body, .gzip = true});
    CHECK(response.status == 200);
    std::string request = server.requests().at(0);
    CHECK(request.find("Content-Encoding: gzip\r\n") != std::string::npos);
    CHECK(Gunzip(request.substr(request.find("\r\n\r\n") + 4)) == body);
    CHECK(Gunzip(Gzip("")) == "");
  }

  TEST_CASE("transport failures are told apart") {
    int port;
    {
      ScriptedHttpServer closed({});
      port = std::stoi(closed.url().substr(17));
    }
    HttpClient client(HttpClientSettings{});
    HttpResponse refused = client.Send(HttpRequest{.url = "http://127.0.0.1:" + std::to_string(port) + "/"});
    CHECK(refused.transport == TransportError::kConnectionRefused);
    CHECK(refused.status == 0);

    ScriptedHttpServer cutter({{"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part", 0ms, true}});
    HttpResponse cut = client.Send(HttpRequest{.url = cutter.url()});
    CHECK(cut.transport == TransportError::kConnectionCut);

    ScriptedHttpServer slow({{Answer(200, "late"), 1500ms}});
    HttpResponse timed_out = client.Send(HttpRequest{.url = slow.url(), .timeout = 300ms});
    CHECK(timed_out.transport == TransportError::kTimeout);
    CHECK_FALSE(timed_out.transport_message.empty());

    HttpResponse malformed = client.Send(HttpRequest{.url = "nothttp://x"});
    CHECK(malformed.transport == TransportError::kBadRequest);
  }

  TEST_CASE("Retry-After in seconds or as an HTTP-date") {
    HttpResponse response;
    CHECK_FALSE(RetryAfter(response));
    response.headers.Add("retry-after", "3");
    CHECK(RetryAfter(response) == 3000ms);
    const auto now = std::chrono::system_clock::from_time_t(784111777);  // Sun, 06 Nov 1994 08:49:37 GMT
    HttpResponse dated;
    dated.headers.Add("Retry-After", "Sun, 06 Nov 1994 08:49:47 GMT");
    CHECK(RetryAfter(dated, now) == 10'000ms);
    CHECK(RetryAfter(dated, now + 1h) == 0ms);
    HttpResponse junk;
    junk.headers.Add("Retry-After", "soon");
    CHECK_FALSE(RetryAfter(junk));
  }
}
