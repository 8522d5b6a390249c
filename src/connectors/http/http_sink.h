// HttpSink: the `http` sink. Each request carries one record (a `body` template, or format json) or a batch of
// them (ndjson, json_array; held until a `batch` limit or the next Flush). A request is sent, and retried by the
// sink's `retry:` policy until it is answered with a verdict other than retry (response_verdict.h), before the
// next one goes: so a retry never sends a delivered request again, and records leave in order.
// Threading: the sink's own thread only; the HttpClient's connection is reused from request to request.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "connectors/http/http_client.h"
#include "connectors/http/http_sink_settings.h"
#include "connectors/http/request_body.h"
#include "plugin/batch_options.h"
#include "plugin/sink.h"

namespace pipeline {
class Counter;
}

namespace pipeline::http {

class HttpSink : public Sink {
 public:
  explicit HttpSink(HttpSinkSettings settings);
  Status Open(SinkContext& ctx) override;
  Status Write(BatchPtr batch) override;
  Status Flush() override;
  void Close() override {}

 private:
  // Sends the records held (all of one url) as one request; clears them once they are delivered or rejected.
  Status SendHeld();
  // Sends one request until delivered, rejected (`rejected` set) or failed; retries by the retry policy.
  Status Deliver(const HttpRequest& request, std::optional<std::string>& rejected);
  // Waits so that requests start no faster than rate_limit per second. False when the pipeline stops.
  bool WaitForRateLimit();

  HttpSinkSettings settings_;
  RequestBody body_;
  std::unique_ptr<HttpClient> client_;
  std::shared_ptr<RecordRejections> rejections_;
  std::stop_token stop_;
  ConnectorHealth health_;
  std::string name_;
  BatchAccumulator held_;
  std::vector<std::string> held_parts_;  // the encoded records held_ holds, in the same order
  std::string held_url_;
  std::chrono::steady_clock::time_point next_request_at_{};
  Counter* requests_ = nullptr;
  Counter* retries_ = nullptr;
};

}  // namespace pipeline::http
