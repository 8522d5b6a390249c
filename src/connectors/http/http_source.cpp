#include "connectors/http/http_source.h"

#include <httplib.h>

#include <chrono>

#include "observability/metrics.h"

namespace pipeline::http {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void Answer(httplib::Response& res, int status, const std::string& message) {
  res.status = status;
  res.set_content("{\"status\":" + std::to_string(status) + ",\"message\":\"" + message + "\"}\n", "application/json");
}

// Quotes and backslashes out of a message put into the JSON answer.
std::string Plain(std::string text) {
  for (char& c : text)
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) c = '\'';
  return text;
}

// The Content-Encoding values cpp-httplib decodes while the body is read (Debian builds it with zlib and brotli);
// a body in another coding is refused with 415, as RFC 9110 says, instead of being taken as text. httplib matches
// the names in lower case only (every client sends them so), and so does this.
bool DecodedEncoding(const std::string& encoding) {
  return encoding.empty() || encoding == "identity" || encoding == "gzip" || encoding == "x-gzip" ||
         encoding == "deflate" || encoding == "br";
}

}  // namespace

HttpSource::HttpSource(HttpSourceSettings settings) : settings_(std::move(settings)) {}

HttpSource::~HttpSource() { Close(); }

Status HttpSource::Open(SourceContext& ctx) {
  topic_ = ctx.name;
  lane_ = Lanes::Intern("http " + ctx.name);
  if (ctx.metrics)
    rejected_busy_ = ctx.metrics->GetCounter("pipe_http_source_busy_total", {{"source", ctx.name}},
                                             "Requests answered 429: the pipeline or max_concurrent_requests was full");
  {
    std::lock_guard lock(mu_);
    closing_ = false;
  }
  if (settings_.tls.configured) {
    const std::string& ca = settings_.tls.ca_file;
    auto tls = std::make_unique<httplib::SSLServer>(settings_.tls.cert_file.c_str(), settings_.tls.key_file.c_str(),
                                                    ca.empty() ? nullptr : ca.c_str());
    if (!tls->is_valid())
      return ConfigError("tls: cannot use cert_file " + settings_.tls.cert_file + " with key_file " +
                         settings_.tls.key_file + (ca.empty() ? "" : " and ca_file " + ca));
    server_ = std::move(tls);
  } else {
    server_ = std::make_unique<httplib::Server>();
  }
  // A few threads more than requests served at once, so that the ones beyond the limit are answered 429 at once.
  const int threads = settings_.max_concurrent_requests + 4;
  server_->new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  server_->set_payload_max_length(settings_.max_body_bytes);
  server_->set_read_timeout(std::chrono::seconds(10));
  server_->set_keep_alive_timeout(5);
  // Bodies are read through a content reader: httplib's own reading caps a form-urlencoded body (what curl -d and
  // many scripts send by default) at 8 KB with a 413, whatever max_body_bytes says.
  // max_body_bytes bounds the decoded body, so a small compressed body that inflates without end is a 413.
  auto handler = [this](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& read) {
    const std::string encoding = req.get_header_value("Content-Encoding");
    if (!DecodedEncoding(encoding))
      return Answer(res, 415, "Content-Encoding '" + Plain(encoding) + "' is not supported: gzip, deflate, br or none");
    std::string body;
    bool too_large = false;
    const bool complete = read([&](const char* data, size_t size) {
      too_large = body.size() + size > settings_.max_body_bytes;
      if (!too_large) body.append(data, size);
      return !too_large;
    });
    if (too_large || (!complete && res.status == 413))
      return Answer(res, 413, "body larger than max_body_bytes (" + std::to_string(settings_.max_body_bytes) + ")");
    if (!complete) return Answer(res, 400, "the body could not be read");
    // A compressed body that decodes to nothing was cut short or is not in its coding (the decoder stops quietly).
    if (body.empty() && !encoding.empty() && req.get_header_value<uint64_t>("Content-Length") > 0)
      return Answer(res, 400, "the " + Plain(encoding) + " body could not be decoded");
    Handle(req, body, res);
  };
  server_->Post(settings_.path, handler);
  server_->Put(settings_.path, handler);
  const bool bound = settings_.port == 0 ? (port_ = server_->bind_to_any_port(settings_.host)) > 0
                                         : server_->bind_to_port(settings_.host, port_ = settings_.port);
  if (!bound) {
    server_.reset();
    return RetryableError("cannot listen on " + settings_.host + ":" + std::to_string(settings_.port) +
                          " (in use, or not an address of this host)");
  }
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  return {};
}

void HttpSource::Handle(const httplib::Request& req, const std::string& body, httplib::Response& res) {
  struct InFlight {
    std::atomic<int>& n;
    ~InFlight() { --n; }
  } in_flight{in_flight_};
  if (++in_flight_ > settings_.max_concurrent_requests) {
    if (rejected_busy_) rejected_busy_->Add();
    res.set_header("Retry-After", std::to_string(settings_.retry_after_seconds));
    return Answer(res, 429, "too many requests at once (max_concurrent_requests); retry later");
  }
  if (!settings_.authorization.empty() && req.get_header_value("Authorization") != settings_.authorization) {
    res.set_header("WWW-Authenticate", settings_.authorization.substr(0, settings_.authorization.find(' ')));
    return Answer(res, 401, "missing or wrong credentials");
  }
  auto values = DecodeBody(body, settings_.format);
  if (!values.ok()) return Answer(res, 400, Plain(values.error().message()));
  const size_t count = values->size();
  if (count == 0) return Answer(res, 200, "0 records");
  const int64_t sequence = Enqueue(std::move(values).value());
  if (sequence < 0) return Answer(res, 503, "the source is stopping; retry");
  if (sequence == 0) {
    if (rejected_busy_) rejected_busy_->Add();
    res.set_header("Retry-After", std::to_string(settings_.retry_after_seconds));
    return Answer(res, 429, "the pipeline is backed up; retry later");
  }
  if (!settings_.ack_delivered) return Answer(res, 200, std::to_string(count) + " records accepted");
  if (!WaitDelivered(sequence)) return Answer(res, 503, "not delivered yet (stopping or too slow); retry");
  Answer(res, 200, std::to_string(count) + " records delivered");
}

int64_t HttpSource::Enqueue(std::vector<Value> values) {
  std::lock_guard lock(mu_);
  if (closing_ || stop_.stop_requested()) return -1;  // Read will not be called again: nothing would take it
  // A request larger than the whole queue is taken when the queue is empty, so that it can ever be accepted.
  if (!queue_.empty() && queued_records_ + values.size() > settings_.queue_records) return 0;
  queued_records_ += values.size();
  queue_.push_back({++next_sequence_, std::move(values)});
  changed_.notify_all();
  return next_sequence_;
}

bool HttpSource::WaitDelivered(int64_t sequence) {
  std::unique_lock lock(mu_);
  return changed_.wait_for(lock, settings_.delivery_timeout, [&] {
    return delivered_through_ >= sequence || closing_;
  }) && delivered_through_ >= sequence;
}

Result<ReadStatus> HttpSource::Read(Batch& out, std::stop_token stop) {
  std::deque<Accepted> taken;
  {
    std::unique_lock lock(mu_);
    stop_ = stop;
    if (queue_.empty()) changed_.wait_for(lock, std::chrono::milliseconds(100), [&] { return !queue_.empty(); });
    size_t records = 0;
    while (!queue_.empty() && (records == 0 || records + queue_.front().values.size() <= 4096)) {
      records += queue_.front().values.size();
      queued_records_ -= queue_.front().values.size();
      taken.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
  }
  if (taken.empty()) return ReadStatus::kIdle;
  const int64_t now = NowMs();
  for (auto& request : taken) {
    for (auto& value : request.values) {
      Record& r = out.records.emplace_back();
      r.value = std::move(value);
      r.timestamp = now;
      r.topic = topic_;
      r.offset = request.sequence;
      r.position = {lane_, request.sequence, 0};
    }
  }
  out.progress.push_back({lane_, taken.back().sequence, 0});
  return ReadStatus::kMore;
}

Status HttpSource::Commit(const LanePositions& acknowledged) {
  auto it = acknowledged.find(lane_);
  if (it == acknowledged.end()) return {};
  std::lock_guard lock(mu_);
  delivered_through_ = std::max(delivered_through_, it->second.major);
  changed_.notify_all();
  return {};
}

void HttpSource::Close() {
  {
    std::lock_guard lock(mu_);
    closing_ = true;
    changed_.notify_all();
  }
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
  server_.reset();
}

}  // namespace pipeline::http
