// HttpClient: the one libcurl wrapper of the HTTP-based connectors (the http sink, Elasticsearch). One client
// owns one easy handle, so consecutive requests reuse the connection (keep-alive, TLS session). Not thread-safe:
// one client per sink thread. libcurl's global initialisation happens once per process, on first use.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "plugin/auth_options.h"
#include "plugin/tls_options.h"

namespace pipeline::http {

// Header fields in the order received; names compare without regard to case (RFC 9110 5.1).
class HeaderList {
 public:
  void Add(std::string name, std::string value) { fields_.emplace_back(std::move(name), std::move(value)); }
  // The first field named `name`, or null.
  const std::string* Find(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }
  bool empty() const { return fields_.empty(); }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

struct HttpRequest {
  std::string method = "POST";  // GET, POST, PUT, PATCH, DELETE, HEAD
  std::string url;
  HeaderList headers;           // sent as given; the client adds Authorization from its AuthSettings
  std::string body;
  std::chrono::milliseconds timeout{30'000};  // the whole exchange, connecting included
  bool gzip = false;            // compress the body and send Content-Encoding: gzip
};

// Why no HTTP answer came back. Each is worth retrying except kTls and kBadRequest, which a retry does not fix.
enum class TransportError {
  kNone,
  kConnectionRefused,  // nothing listens there (or the host is unreachable)
  kConnectionCut,      // the connection broke before the whole answer came
  kTimeout,            // no complete answer within the request's timeout
  kResolve,            // the host name did not resolve
  kTls,                // handshake or certificate failure
  kBadRequest,         // the request itself is unusable (a malformed URL, an unknown scheme)
  kOther,
};

struct HttpResponse {
  int status = 0;                 // 0 when transport != kNone
  HeaderList headers;             // of the final answer (after a 100-continue)
  std::string body;
  TransportError transport = TransportError::kNone;
  std::string transport_message;  // libcurl's explanation, with the URL's host
  bool answered() const { return transport == TransportError::kNone; }
};

std::string_view TransportErrorName(TransportError e);

// How long the server asked the client to wait (`Retry-After`: delay-seconds or an HTTP-date), relative to `now`;
// nullopt without a usable header. A date in the past gives zero.
std::optional<std::chrono::milliseconds> RetryAfter(
    const HttpResponse& response, std::chrono::system_clock::time_point now = std::chrono::system_clock::now());

struct HttpClientSettings {
  TlsSettings tls;
  AuthSettings auth;
  std::chrono::milliseconds connect_timeout{10'000};
  std::string user_agent = "pipe";
};

class HttpClient {
 public:
  explicit HttpClient(HttpClientSettings settings);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Sends `request` and waits for the whole answer; never throws. Any HTTP status counts as answered.
  HttpResponse Send(const HttpRequest& request);

 private:
  HttpClientSettings settings_;
  void* curl_;  // CURL*, kept out of this header so that only this folder sees libcurl's
  std::string authorization_;
};

// `body` compressed as gzip (RFC 1952), for HttpRequest::gzip.
std::string Gzip(std::string_view body);

}  // namespace pipeline::http
