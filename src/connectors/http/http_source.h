// HttpSource: the `http` source. Senders POST bodies (http_source_body.h) to `path`; cpp-httplib serves them on
// a pool of its own threads (at most max_concurrent_requests requests at once, more get 429), and each accepted
// request's records go to a bounded queue that Read() takes whole requests from.
//
// Answers: 200 once the records are in that queue (`ack: accepted`) or once every sink acknowledged them
// (`ack: delivered`: the runtime's Commit says so; the sender can retry anything not answered 200); 429 with
// Retry-After when the queue is full (the pipeline is backed up: nothing buffers without bound); 413 beyond
// max_body_bytes; 400 naming the line and column of a malformed body; 401 without the bearer token; 503 while
// stopping. Positions number the requests of one run (lane "http <name>"); not replayable.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "connectors/http/http_source_body.h"
#include "observability/metrics.h"
#include "plugin/source.h"
#include "plugin/tls_options.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace pipeline::http {

struct HttpSourceSettings {
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string path = "/";
  IngestBodyFormat format = IngestBodyFormat::kNdjson;
  std::string authorization;  // the Authorization header every request must carry; empty: no authentication
  TlsSettings tls;            // configured: HTTPS with cert_file and key_file (ca_file: clients need a certificate)
  size_t max_body_bytes = 10 << 20;
  int max_concurrent_requests = 64;
  bool ack_delivered = false;
  size_t queue_records = 10'000;  // records accepted and not yet taken by Read, at most
  int retry_after_seconds = 1;
  std::chrono::milliseconds delivery_timeout{30'000};  // ack: delivered: 503 after this long without
};

class HttpSource : public Source {
 public:
  explicit HttpSource(HttpSourceSettings settings);
  ~HttpSource() override;
  Status Open(SourceContext& ctx) override;
  Result<ReadStatus> Read(Batch& out, std::stop_token stop) override;
  Status Commit(const LanePositions& acknowledged) override;
  void Close() override;
  int port() const { return port_; }

 private:
  struct Accepted {
    int64_t sequence;
    std::vector<Value> values;
  };
  void Handle(const httplib::Request& req, const std::string& body, httplib::Response& res);
  // The request's number, or 0 when the queue is full.
  int64_t Enqueue(std::vector<Value> values);
  bool WaitDelivered(int64_t sequence);

  HttpSourceSettings settings_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  std::string topic_;
  LaneId lane_ = kNoLane;
  std::atomic<int> in_flight_{0};

  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<Accepted> queue_;
  size_t queued_records_ = 0;
  int64_t next_sequence_ = 0;
  int64_t delivered_through_ = 0;  // every request up to this one is acknowledged by every sink
  bool closing_ = false;
  std::stop_token stop_;  // the runtime's, from Read: once it is requested nothing more is accepted
  Counter* rejected_busy_ = nullptr;
};

}  // namespace pipeline::http
