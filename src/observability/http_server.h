// The HTTP endpoint (`--http 127.0.0.1:PORT`): /healthz, /readyz and /metrics (Prometheus text). cpp-httplib,
// on its own thread.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "core/result.h"

namespace pipeline {

class MetricsRegistry;

class HttpServer {
 public:
  // ready: answers /readyz (a pipeline is running and its sources are open).
  HttpServer(MetricsRegistry* metrics, std::function<bool()> ready);
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
