// The HTTP endpoint (`--http 127.0.0.1:PORT`): /healthz, /readyz, /metrics (Prometheus text) and /tap (`pipe tap`:
// NDJSON of the records of named streams, chunked, for as long as the client stays; observability/tap.h).
//
// One thread serves every connection from a poll loop, so a slow client costs a slot, never a thread. Each
// connection has a fixed deadline from the moment it is accepted (a client that drips header lines cannot extend
// it), at most kMaxConnections are open (a new one closes the oldest, so probes are never starved by idle
// connections), every response closes its connection, and Stop closes the listening socket and every client
// socket at once, without waiting for anyone. A tap's connection has no deadline (it lasts as long as its client
// wants) but at most TapRegistry::kMaxTaps exist; it is sent what its tap buffered, a chunk at a time, and a client
// that reads slowly only makes its own tap drop records.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"

namespace pipeline {

class MetricsRegistry;
class TapRegistry;

// An error naming the address unless it is HOST:PORT with a host that resolves and a PORT from 0 to 65535.
Status CheckHttpAddress(const std::string& address);

class HttpServer {
 public:
  // not_ready: answers /readyz — empty when a pipeline is running with every source open and every connector
  // connected (200), else one line per reason (503, the lines in the body).
  // taps: null answers /tap with 404.
  HttpServer(MetricsRegistry* metrics, std::function<std::vector<std::string>()> not_ready,
             TapRegistry* taps = nullptr);
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
