// ElasticsearchSink: opening (which server this is, the index template) and the one way requests are made.
#include "connectors/elasticsearch/elasticsearch_sink.h"

#include <algorithm>

#include "formats/json.h"
#include "observability/log.h"
#include "observability/metrics.h"
#include "plugin/retry.h"

namespace pipeline::elasticsearch {

namespace {

constexpr std::chrono::seconds kLongestRetryAfter{300};

// The server's own words for a refused request: error.reason (or the start of the body).
std::string ServerReason(const http::HttpResponse& response) {
  auto parsed = ParseJson(response.body);
  if (parsed.ok()) {
    const Value* error = parsed->Field("error");
    if (error && error->is_string()) return error->as_string();
    if (const Value* reason = error ? error->Field("reason") : nullptr; reason && reason->is_string())
      return reason->as_string();
  }
  return response.body.substr(0, 200);
}

std::string CredentialsToCheck(const AuthSettings& auth) {
  switch (auth.type) {
    case AuthType::kNone: return "none are set: write auth (basic user/password, api_key or bearer token)";
    case AuthType::kBasic: return "check auth.user ('" + auth.user + "') and auth.password";
    case AuthType::kApiKey: return "check auth.api_key";
    case AuthType::kBearer: return "check auth.token";
  }
  return "check auth";
}

}  // namespace

ElasticsearchSink::ElasticsearchSink(ElasticsearchSettings settings)
    : settings_(std::move(settings)), nodes_(settings_.urls), builder_(settings_) {}

ElasticsearchSink::~ElasticsearchSink() { Close(); }

Status ElasticsearchSink::Open(SinkContext& ctx) {
  ctx_ = &ctx;
  if (!client_) {
    http::HttpClientSettings client_settings;
    client_settings.tls = settings_.tls;
    client_settings.auth = settings_.auth;
    client_ = std::make_unique<http::HttpClient>(std::move(client_settings));
  }
  if (ctx.metrics && !metrics_.indexed) {
    const Labels labels{{"sink", ctx.name}};
    auto counter = [&](const std::string& name, const std::string& help) {
      return ctx.metrics->GetCounter(name, labels, help);
    };
    metrics_.indexed = counter("pipe_elasticsearch_documents_indexed_total", "Documents indexed, created or updated");
    metrics_.deleted = counter("pipe_elasticsearch_documents_deleted_total", "Documents deleted by tombstones");
    metrics_.rejected = counter("pipe_elasticsearch_documents_rejected_total", "Documents the server refused (4xx)");
    metrics_.retried = counter("pipe_elasticsearch_documents_retried_total", "Documents sent again after 429/5xx");
    metrics_.requests = counter("pipe_elasticsearch_bulk_requests_total", "Bulk requests answered");
    metrics_.latency_ms = counter("pipe_elasticsearch_bulk_latency_ms_total",
                                  "Milliseconds spent waiting for bulk answers (divide by bulk_requests_total)");
    metrics_.bytes_sent = counter("pipe_elasticsearch_bytes_sent_total", "Request body bytes sent (compressed)");
  }
  PIPE_RETURN_IF_ERROR(CheckServer());
  return PutTemplateIfMissing();
}

Status ElasticsearchSink::CheckServer() {
  auto response = Call("GET", "/", "");
  if (!response.ok()) return response.error();
  if (response->status != 200) return RequestFailed("GET /", *response);
  auto flavor = ReadServerFlavor(response->body, response->headers.Find("X-Elastic-Product"));
  if (!flavor.ok()) return FatalError(Who() + ": " + flavor.error().message());
  if (!flavor_ || flavor_->version != flavor->version)
    LogInfo("elasticsearch_connected", Who() + ": " + flavor->Describe(),
            {{"sink", settings_.name}, {"server", flavor->Describe()}});
  flavor_ = *flavor;
  return {};
}

Status ElasticsearchSink::PutTemplateIfMissing() {
  const IndexTemplate& t = settings_.index_template;
  if (t.name.empty()) return {};
  const std::string path = "/_index_template/" + t.name;
  auto existing = Call("GET", path, "");
  if (!existing.ok()) return existing.error();
  if (existing->status == 200) return {};
  if (existing->status != 404) return RequestFailed("GET " + path, *existing);
  auto put = Call("PUT", path, t.body);
  if (!put.ok()) return put.error();
  if (put->status != 200) return RequestFailed("PUT " + path, *put);
  LogInfo("elasticsearch_template_created", Who() + ": index template '" + t.name + "' put",
          {{"sink", settings_.name}, {"template", t.name}});
  return {};
}

Result<http::HttpResponse> ElasticsearchSink::Call(const std::string& method, const std::string& path,
                                                   std::string body, const std::string& content_type) {
  http::HttpRequest request;
  request.method = method;
  request.url = nodes_.Next() + path;
  request.timeout = settings_.request_timeout;
  if (!body.empty()) {
    request.headers.Add("Content-Type", content_type);
    if (settings_.gzip) {
      body = http::Gzip(body);
      request.headers.Add("Content-Encoding", "gzip");
    }
  }
  const size_t sent = body.size();
  request.body = std::move(body);
  const auto started = std::chrono::steady_clock::now();
  http::HttpResponse response = client_->Send(request);
  if (!response.answered()) {
    nodes_.MarkLastDown();
    std::string message = Who() + ": " + method + " " + request.url + ": " + response.transport_message;
    if (response.transport == http::TransportError::kConnectionCut)
      message += " (cut before the whole answer came: the request is sent again, with the same ids)";
    if (response.transport == http::TransportError::kTls || response.transport == http::TransportError::kBadRequest)
      return FatalError(message);
    return RetryableError(message);
  }
  if (metrics_.requests && path.ends_with("_bulk")) {
    metrics_.requests->Add();
    metrics_.bytes_sent->Add(static_cast<int64_t>(sent));
    metrics_.latency_ms->Add(std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::steady_clock::now() - started).count());
  }
  return response;
}

Error ElasticsearchSink::RequestFailed(const std::string& what, const http::HttpResponse& response) {
  const std::string status = std::to_string(response.status);
  const std::string reason = ServerReason(response);
  if (response.status == 401)
    return FatalError(Who() + ": " + what + " was refused (401 Unauthorized: " + reason + "): credentials: " +
                      CredentialsToCheck(settings_.auth));
  if (response.status == 403)
    return FatalError(Who() + ": " + what + " was forbidden (403: " + reason +
                      "): the credentials need the index's write privileges: " + CredentialsToCheck(settings_.auth));
  std::string message = Who() + ": " + what + " answered " + status + ": " + reason;
  if (response.status == 429 || response.status == 502 || response.status == 503 || response.status == 504 ||
      response.status == 408) {
    // The server said how long to wait: wait that long before the retry policy's own backoff.
    if (auto wait = http::RetryAfter(response))
      SleepUnlessStopped(std::min<std::chrono::milliseconds>(*wait, kLongestRetryAfter), ctx_->stop);
    return RetryableError(message);
  }
  return FatalError(message);
}

}  // namespace pipeline::elasticsearch
