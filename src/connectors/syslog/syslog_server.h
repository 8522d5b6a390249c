// SyslogServer: the listening side of the syslog source, on a thread of its own. One poll() loop serves the
// listening socket and every TCP connection (or the UDP socket), cuts the streams into frames (syslog_framing.h)
// and hands them to the source through a bounded queue of frames.
//
// Backpressure: when the queue is full (the pipeline downstream is full, so the source stops taking frames), the
// loop stops reading TCP connections; their kernel buffers fill and TCP's flow control slows the senders down.
// UDP has no flow control: datagrams that arrive while the queue is full are read and dropped, and counted
// (dropped_datagrams), so that an overload shows in /metrics instead of only in the kernel's counters.
//
// TLS (RFC 5425): each TCP connection gets a non-blocking TlsSession (syslog_tls.h) whose handshake the same loop
// advances as the socket allows; one that has not finished within handshake_timeout is closed alone. A failed
// handshake closes that connection, is counted and logged (at most one warning per 10 s).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "connectors/syslog/syslog_framing.h"
#include "connectors/syslog/syslog_tls.h"
#include "core/result.h"
#include "observability/metrics.h"
#include "plugin/tls_options.h"

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
  TlsSettings tls;  // tls.configured: every TCP connection speaks TLS
  std::chrono::milliseconds handshake_timeout{10000};
  Counter* tls_handshake_failures = nullptr;
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
  int64_t tls_handshake_failures() const { return tls_handshake_failures_.load(std::memory_order_relaxed); }

 private:
  using Clock = std::chrono::steady_clock;
  struct Connection {
    int fd;
    FrameSplitter splitter;
    std::string peer;                 // address:port, for the log
    std::unique_ptr<TlsSession> tls;  // with the tls option
    Clock::time_point handshake_deadline{};
    bool buffered = false;  // TLS bytes already off the socket: read without waiting for poll()
  };
  void Serve();
  // The poll() timeout: 0 when a connection has buffered TLS bytes to read, else until the nearest handshake
  // deadline (500 ms at most, so that Stop is seen even without the eventfd).
  int PollTimeoutMs(bool full) const;
  short PollEvents(const Connection& c, bool full) const;
  void Accept();
  // Reads what one connection has; false when it ended (closed or failed).
  bool ReadConnection(Connection& c, std::vector<Frame>& frames);
  bool ReadTls(Connection& c, std::vector<Frame>& frames);
  bool AdvanceHandshake(Connection& c);
  void TlsFailed(const Connection& c, const std::string& why);  // counts it, and WarnTls
  // At most one warning per 10 s, with how many were left out: a scanner or a misconfigured sender retrying in a
  // loop must not flood the log.
  void WarnTls(const Connection& c, const std::string& what);
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
  std::atomic<int64_t> tls_handshake_failures_{0};
  std::unique_ptr<TlsServerContext> tls_;
  Clock::time_point next_tls_warning_{};
  int64_t tls_warnings_not_logged_ = 0;

  std::mutex mu_;
  std::condition_variable frames_ready_;
  std::deque<Frame> queue_;
  bool waiting_for_room_ = false;  // the loop paused reading; Take wakes it
};

}  // namespace pipeline::syslog
