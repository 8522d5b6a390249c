// SyslogServer: the listening side of the syslog source, on a thread of its own. One poll() loop serves the
// listening socket and every TCP connection (or the UDP socket), cuts the streams into frames (syslog_framing.h)
// and hands them to the source through a bounded queue of frames.
//
// Backpressure: when the queue is full (the pipeline downstream is full, so the source stops taking frames), the
// loop stops reading TCP connections; their kernel buffers fill and TCP's flow control slows the senders down.
// UDP has no flow control: datagrams that arrive while the queue is full are read and dropped, and counted
// (dropped_datagrams), so that an overload shows in /metrics instead of only in the kernel's counters.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "connectors/syslog/syslog_framing.h"
#include "core/result.h"
#include "observability/metrics.h"

namespace pipeline::syslog {

struct ServerSettings {
  std::string host = "127.0.0.1";
  int port = 5514;
  bool udp = false;
  size_t max_message_bytes = 65536;
  int max_connections = 256;
  size_t queue_frames = 8192;            // frames waiting for the source at most
  Counter* dropped_datagrams = nullptr;  // /metrics, when there is a registry
  Counter* refused_connections = nullptr;
};

class SyslogServer {
 public:
  explicit SyslogServer(ServerSettings settings) : settings_(std::move(settings)) {}
  ~SyslogServer() { Stop(); }
  // Binds and starts serving. A port in use is Retryable (a reload's previous instance may still hold it).
  Status Start();
  // Moves up to `max` frames into `out`; waits up to `wait` while there is none.
  void Take(std::vector<Frame>& out, size_t max, std::chrono::milliseconds wait);
  void Stop();
  int port() const { return bound_port_; }
  int64_t dropped_datagrams() const { return dropped_datagrams_.load(std::memory_order_relaxed); }
  int64_t refused_connections() const { return refused_connections_.load(std::memory_order_relaxed); }

 private:
  struct Connection {
    int fd;
    FrameSplitter splitter;
  };
  void Serve();
  void Accept();
  // Reads what one connection has; false when it ended (closed or failed).
  bool ReadConnection(Connection& c, std::vector<Frame>& frames);
  void ReadDatagrams(std::vector<Frame>& frames);
  void Publish(std::vector<Frame>& frames);
  // True when the queue and `pending` frames not yet published fill it; the loop then waits for Take.
  bool QueueFull(size_t pending = 0);

  ServerSettings settings_;
  int listen_fd_ = -1;
  int wake_fd_ = -1;  // eventfd: Stop, or room in the queue again
  int bound_port_ = 0;
  std::vector<Connection> connections_;
  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::atomic<int64_t> dropped_datagrams_{0};
  std::atomic<int64_t> refused_connections_{0};

  std::mutex mu_;
  std::condition_variable frames_ready_;
  std::deque<Frame> queue_;
  bool waiting_for_room_ = false;  // the loop paused reading; Take wakes it
};

}  // namespace pipeline::syslog
