// The HTTP endpoint (`--http 127.0.0.1:PORT`): /healthz, /readyz and /metrics (Prometheus text). cpp-httplib,
// on its own thread.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"

namespace pipeline {

class MetricsRegistry;

class HttpServer {
 public:
  // not_ready: answers /readyz — empty when a pipeline is running with every source open and every connector
  // connected (200), else one line per reason (503, the lines in the body).
  HttpServer(MetricsRegistry* metrics, std::function<std::vector<std::string>()> not_ready);
  ~HttpServer();
  // address: "HOST:PORT" (PORT 0 picks a free port). Starts serving in the background.
  Status Start(const std::string& address);
  int port() const;
  void Stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pipeline
