#include "connectors/syslog/syslog_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "observability/log.h"

namespace pipeline::syslog {
namespace {

constexpr size_t kReadChunk = 256 * 1024;

std::string Where(const ServerSettings& s) {
  return std::string(s.udp ? "udp" : "tcp") + " " + s.host + ":" + std::to_string(s.port);
}

Result<int> BindSocket(const ServerSettings& s) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = s.udp ? SOCK_DGRAM : SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(s.port);
  if (int rc = ::getaddrinfo(s.host.c_str(), port.c_str(), &hints, &found); rc != 0)
    return ConfigError("cannot resolve address " + s.host + ": " + ::gai_strerror(rc));
  int fd = ::socket(found->ai_family, found->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (s.udp) {
    int buffer = 8 << 20;  // absorbs bursts; the kernel caps it at net.core.rmem_max
    ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buffer, sizeof buffer);
  }
  const bool bound = fd >= 0 && ::bind(fd, found->ai_addr, found->ai_addrlen) == 0 && (s.udp || ::listen(fd, 128) == 0);
  const int err = errno;
  ::freeaddrinfo(found);
  if (bound) return fd;
  if (fd >= 0) ::close(fd);
  std::string why = "cannot listen on " + Where(s) + ": " + std::strerror(err);
  if (err == EADDRINUSE) return RetryableError(why);
  return FatalError(why);
}

std::string PeerAddress(const sockaddr_storage& addr, socklen_t len) {
  char host[NI_MAXHOST], port[NI_MAXSERV];
  if (::getnameinfo(reinterpret_cast<const sockaddr*>(&addr), len, host, sizeof host, port, sizeof port,
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
    return "?";
  return addr.ss_family == AF_INET6 ? "[" + std::string(host) + "]:" + port : std::string(host) + ":" + port;
}

// OpenSSL sends with write(): a client gone mid-handshake would raise SIGPIPE, which kills a process that does
// not ignore it (pipe run does; a test binary may not). Blocked on this thread, the write fails with EPIPE.
void BlockSigpipeOnThisThread() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

}  // namespace

Status SyslogServer::Start() {
  if (settings_.tls.configured && !settings_.udp) {
    auto context = TlsServerContext::Create(settings_.tls);
    if (!context.ok()) return context.error();
    tls_ = std::move(*context);
  }
  auto fd = BindSocket(settings_);
  if (!fd.ok()) return fd.error();
  listen_fd_ = *fd;
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  bound_port_ = ntohs(addr.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port
                                                 : reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
  wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  stopping_ = false;
  thread_ = std::thread([this] { Serve(); });
  return {};
}

void SyslogServer::Stop() {
  if (thread_.joinable()) {
    stopping_ = true;
    uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(wake_fd_, &one, sizeof one);
    thread_.join();
  }
  for (auto& c : connections_) ::close(c.fd);
  connections_.clear();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  if (wake_fd_ >= 0) ::close(wake_fd_);
  listen_fd_ = wake_fd_ = -1;
}

bool SyslogServer::QueueFull(size_t pending) {
  std::lock_guard lock(mu_);
  waiting_for_room_ = queue_.size() + pending >= settings_.queue_frames;
  return waiting_for_room_;
}

void SyslogServer::Serve() {
  if (tls_) BlockSigpipeOnThisThread();
  std::vector<pollfd> fds;
  std::vector<Frame> frames;
  while (!stopping_) {
    const bool full = QueueFull();
    fds.clear();
    fds.push_back({wake_fd_, POLLIN, 0});
    // UDP is read even when full (to count what is dropped), new TCP connections are accepted; reading a TCP
    // connection waits for room.
    fds.push_back({listen_fd_, POLLIN, 0});
    for (auto& c : connections_) fds.push_back({c.fd, PollEvents(c, full), 0});
    if (::poll(fds.data(), fds.size(), PollTimeoutMs(full)) < 0 && errno != EINTR) break;
    if (fds[0].revents & POLLIN) {
      uint64_t drained;
      [[maybe_unused]] ssize_t n = ::read(wake_fd_, &drained, sizeof drained);
    }
    if (stopping_) break;
    const size_t polled = connections_.size();  // Accept appends connections that have no pollfd yet
    if (fds[1].revents & POLLIN) {
      if (settings_.udp)
        ReadDatagrams(frames);
      else
        Accept();
    }
    const auto now = Clock::now();
    for (size_t i = polled; i-- > 0;) {
      Connection& c = connections_[i];
      bool open = true;
      // The deadline first: a client that trickles its handshake a byte at a time must not keep its connection.
      if (c.tls && !c.tls->established() && now >= c.handshake_deadline) {
        TlsFailed(c, "no TLS handshake within " + std::to_string(settings_.handshake_timeout.count()) +
                         " ms (a silent or stalled client)");
        open = false;
      } else if ((fds[i + 2].revents & (POLLIN | POLLOUT | POLLHUP | POLLERR)) || (c.buffered && !full)) {
        open = ReadConnection(c, frames);
      }
      if (!open) {
        ::close(c.fd);
        connections_.erase(connections_.begin() + static_cast<long>(i));
      }
    }
    Publish(frames);
  }
}

short SyslogServer::PollEvents(const Connection& c, bool full) const {
  // A handshake makes no frames, so it goes on while the queue is full: the sender is then slowed by TCP as usual.
  if (c.tls && !c.tls->established()) return c.tls->poll_events();
  if (full) return 0;
  return c.tls ? c.tls->poll_events() : POLLIN;
}

int SyslogServer::PollTimeoutMs(bool full) const {
  using std::chrono::milliseconds;
  milliseconds timeout(500);
  const auto now = Clock::now();
  for (const auto& c : connections_) {
    if (!c.tls) continue;
    if (c.buffered && !full) return 0;
    if (!c.tls->established())
      timeout = std::clamp(std::chrono::duration_cast<milliseconds>(c.handshake_deadline - now) + milliseconds(1),
                           milliseconds(0), timeout);
  }
  return static_cast<int>(timeout.count());
}

void SyslogServer::Accept() {
  while (true) {
    sockaddr_storage peer{};
    socklen_t peer_len = sizeof peer;
    int fd = ::accept4(listen_fd_, reinterpret_cast<sockaddr*>(&peer), &peer_len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;
    if (static_cast<int>(connections_.size()) >= settings_.max_connections) {
      // Refused rather than queued: a sender sees the close and can retry or fail over.
      if (settings_.refused_connections) settings_.refused_connections->Add();
      if (refused_connections_.fetch_add(1) == 0)
        LogWarn("syslog_connection_refused",
                "syslog: a connection was refused: max_connections (" + std::to_string(settings_.max_connections) +
                    ") are open; more refusals are counted in pipe_syslog_refused_connections_total",
                {{"listen", Where(settings_)}});
      ::close(fd);
      continue;
    }
    Connection& c = connections_.emplace_back(Connection{fd, FrameSplitter(settings_.max_message_bytes)});
    c.peer = PeerAddress(peer, peer_len);
    if (tls_) {
      c.tls = std::make_unique<TlsSession>(*tls_, fd);
      c.handshake_deadline = Clock::now() + settings_.handshake_timeout;
      c.buffered = true;  // the ClientHello may be there already: start the handshake without waiting for poll()
    }
  }
}

bool SyslogServer::ReadConnection(Connection& c, std::vector<Frame>& frames) {
  if (c.tls) return ReadTls(c, frames);
  static thread_local std::string buffer(kReadChunk, '\0');
  ssize_t n = ::recv(c.fd, buffer.data(), buffer.size(), 0);
  if (n > 0) {
    c.splitter.Feed(std::string_view(buffer.data(), static_cast<size_t>(n)), frames);
    return true;
  }
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return true;
  c.splitter.Finish(frames);
  return false;
}

bool SyslogServer::ReadTls(Connection& c, std::vector<Frame>& frames) {
  if (!c.tls->established()) return AdvanceHandshake(c);
  static thread_local std::string buffer(kReadChunk, '\0');
  // At most one buffer's worth per turn, as for plain TCP, so that one busy sender cannot starve the others.
  size_t taken = 0, n = 0;
  TlsSession::Step step;
  while ((step = c.tls->Read(buffer.data(), buffer.size(), n)) == TlsSession::Step::kDone) {
    c.splitter.Feed(std::string_view(buffer.data(), n), frames);
    taken += n;
    if (taken >= buffer.size()) break;
  }
  c.buffered = c.tls->HasBuffered();
  switch (step) {
    case TlsSession::Step::kDone:
    case TlsSession::Step::kWantRead:
    case TlsSession::Step::kWantWrite:
      return true;
    case TlsSession::Step::kFailed:
      WarnTls(c, "a TLS connection failed, it was closed: " + c.tls->error());
      break;
    case TlsSession::Step::kClosed:
      break;
  }
  c.splitter.Finish(frames);
  return false;
}

bool SyslogServer::AdvanceHandshake(Connection& c) {
  c.buffered = false;
  switch (c.tls->Handshake()) {
    case TlsSession::Step::kDone:
      // The sender's first records may have come with its last handshake message: read without waiting for poll().
      c.buffered = true;
      return true;
    case TlsSession::Step::kWantRead:
    case TlsSession::Step::kWantWrite:
      return true;
    case TlsSession::Step::kClosed:  // gone before finishing (a port probe): nothing to report
      return false;
    case TlsSession::Step::kFailed:
      TlsFailed(c, c.tls->error());
      return false;
  }
  return false;
}

void SyslogServer::TlsFailed(const Connection& c, const std::string& why) {
  tls_handshake_failures_.fetch_add(1, std::memory_order_relaxed);
  if (settings_.tls_handshake_failures) settings_.tls_handshake_failures->Add();
  WarnTls(c, "a TLS handshake failed, the connection was closed: " + why +
                 "; every failure is counted in pipe_syslog_tls_handshake_failures_total");
}

void SyslogServer::WarnTls(const Connection& c, const std::string& what) {
  const auto now = Clock::now();
  if (now < next_tls_warning_) {
    ++tls_warnings_not_logged_;
    return;
  }
  next_tls_warning_ = now + std::chrono::seconds(10);
  std::string message = "syslog: " + what;
  if (tls_warnings_not_logged_ > 0)
    message += " (" + std::to_string(tls_warnings_not_logged_) + " more TLS failures since the last warning)";
  tls_warnings_not_logged_ = 0;
  LogWarn("syslog_tls_failed", message, {{"listen", Where(settings_)}, {"peer", c.peer}});
}

void SyslogServer::ReadDatagrams(std::vector<Frame>& frames) {
  std::string buffer(settings_.max_message_bytes + 1, '\0');
  for (int i = 0; i < 1024; ++i) {  // bounded, so that a flood cannot keep the loop from anything else
    ssize_t n = ::recv(listen_fd_, buffer.data(), buffer.size(), MSG_TRUNC);
    if (n < 0) return;
    if (QueueFull(frames.size())) {
      dropped_datagrams_.fetch_add(1, std::memory_order_relaxed);
      if (settings_.dropped_datagrams) settings_.dropped_datagrams->Add();
      continue;
    }
    const size_t size = static_cast<size_t>(n);
    const bool truncated = size > settings_.max_message_bytes;
    frames.push_back(Frame{buffer.substr(0, truncated ? settings_.max_message_bytes : size), truncated});
    if (frames.size() >= 256) Publish(frames);
  }
}

void SyslogServer::Publish(std::vector<Frame>& frames) {
  if (frames.empty()) return;
  {
    std::lock_guard lock(mu_);
    for (auto& f : frames) queue_.push_back(std::move(f));
  }
  frames.clear();
  frames_ready_.notify_one();
}

void SyslogServer::Take(std::vector<Frame>& out, size_t max, std::chrono::milliseconds wait) {
  bool wake_server = false;
  {
    std::unique_lock lock(mu_);
    if (queue_.empty()) frames_ready_.wait_for(lock, wait, [&] { return !queue_.empty(); });
    while (!queue_.empty() && out.size() < max) {
      out.push_back(std::move(queue_.front()));
      queue_.pop_front();
    }
    wake_server = waiting_for_room_ && queue_.size() < settings_.queue_frames;
    if (wake_server) waiting_for_room_ = false;
  }
  if (wake_server) {
    uint64_t one = 1;
    [[maybe_unused]] ssize_t n = ::write(wake_fd_, &one, sizeof one);
  }
}

}  // namespace pipeline::syslog
