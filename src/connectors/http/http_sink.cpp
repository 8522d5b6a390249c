#include "connectors/http/http_sink.h"

#include <thread>

#include "connectors/http/response_verdict.h"
#include "observability/metrics.h"

namespace pipeline::http {

HttpSink::HttpSink(HttpSinkSettings settings)
    : settings_(std::move(settings)), body_(settings_), held_(settings_.batch) {}

Status HttpSink::Open(SinkContext& ctx) {
  name_ = ctx.name;
  rejections_ = ctx.rejections;
  stop_ = ctx.stop;
  health_ = ctx.health;
  client_ = std::make_unique<HttpClient>(HttpClientSettings{.tls = settings_.tls, .auth = settings_.auth});
  if (ctx.metrics) {
    requests_ = ctx.metrics->GetCounter("pipe_http_sink_requests_total", {{"sink", name_}},
                                        "Requests an http sink sent, retries included");
    retries_ = ctx.metrics->GetCounter("pipe_http_sink_retries_total", {{"sink", name_}},
                                       "Requests an http sink sent again after a 408, 429, 5xx or failed connection");
  }
  return {};
}

Status HttpSink::Write(BatchPtr batch) {
  for (size_t i = 0; i < batch->records.size(); ++i) {
    const Record& record = batch->records[i];
    std::string url = settings_.url.Render(record);
    std::string part = body_.Encode(record);
    if (!settings_.batched()) {
      HttpRequest request{.method = settings_.method, .url = std::move(url), .body = std::move(part)};
      std::optional<std::string> rejected;
      PIPE_RETURN_IF_ERROR(Deliver(request, rejected));
      if (rejected) rejections_->Reject(*batch, i, DataError(*rejected));
      continue;
    }
    // A request goes to one url: a record for another one sends what is held first.
    if (!held_.empty() && (url != held_url_ || held_.WouldOverflow(part.size()))) PIPE_RETURN_IF_ERROR(SendHeld());
    held_url_ = std::move(url);
    const size_t bytes = part.size();
    held_parts_.push_back(std::move(part));
    if (held_.Add(batch, i, bytes)) PIPE_RETURN_IF_ERROR(SendHeld());
  }
  if (held_.Due()) PIPE_RETURN_IF_ERROR(SendHeld());
  return {};
}

Status HttpSink::Flush() {
  if (!held_.empty()) return SendHeld();
  return {};
}

Status HttpSink::SendHeld() {
  HttpRequest request{.method = settings_.method, .url = held_url_, .body = body_.Join(held_parts_)};
  std::optional<std::string> rejected;
  PIPE_RETURN_IF_ERROR(Deliver(request, rejected));
  std::vector<HeldRecord> sent = held_.Take();
  held_parts_.clear();
  if (rejected)
    for (const auto& held : sent) rejections_->Reject(*held.batch, held.index, DataError(*rejected));
  return {};
}

Status HttpSink::Deliver(const HttpRequest& prepared, std::optional<std::string>& rejected) {
  HttpRequest request = prepared;
  request.headers = HeaderList();
  request.headers.Add("Content-Type", settings_.content_type);
  for (const auto& [name, value] : settings_.headers) request.headers.Add(name, value);
  request.timeout = settings_.timeout;
  request.gzip = settings_.gzip;
  const RetryObserver observer{[this](const Error& e) { health_.Down("retrying: " + e.message()); },
                               [this] { health_.Up(); }};
  RetryLoop retry(settings_.retry, "sink " + name_, &observer);
  while (true) {
    if (!WaitForRateLimit()) return RetryableError(settings_.url_shown + ": stopped before the request was sent");
    HttpResponse response = client_->Send(request);
    if (requests_) requests_->Add();
    switch (VerdictOf(response)) {
      case Verdict::kDelivered:
        retry.Succeeded();
        return {};
      case Verdict::kReject:
        retry.Succeeded();
        rejected = DescribeFailure(response, settings_.url_shown);
        return {};
      case Verdict::kFail:
        return FatalError(DescribeFailure(response, settings_.url_shown));
      case Verdict::kRetry: {
        Error error = RetryableError(DescribeFailure(response, settings_.url_shown));
        // The server's Retry-After comes first; the policy's backoff follows it (so it is a lower bound).
        if (auto after = RetryAfter(response); after && !SleepUnlessStopped(*after, stop_)) return error;
        PIPE_RETURN_IF_ERROR(retry.Failed(error, stop_));
        if (retries_) retries_->Add();
        break;
      }
    }
  }
}

// A stop (SIGTERM) does not end sending by itself: the runtime drains what is in flight through Write and Flush.
// Only a wait gives up, as a backoff does.
bool HttpSink::WaitForRateLimit() {
  if (settings_.rate_limit <= 0) return true;
  using namespace std::chrono;
  const auto now = steady_clock::now();
  const auto interval = duration_cast<steady_clock::duration>(duration<double>(1.0 / settings_.rate_limit));
  if (next_request_at_ > now && !SleepUnlessStopped(ceil<milliseconds>(next_request_at_ - now), stop_)) return false;
  next_request_at_ = std::max(now, next_request_at_) + interval;
  return true;
}

}  // namespace pipeline::http
