#include "connectors/syslog/syslog_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

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

}  // namespace

Status SyslogServer::Start() {
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
  std::vector<pollfd> fds;
  std::vector<Frame> frames;
  while (!stopping_) {
    const bool full = QueueFull();
    fds.clear();
    fds.push_back({wake_fd_, POLLIN, 0});
    // UDP is read even when full (to count what is dropped), new TCP connections are accepted; reading a TCP
    // connection waits for room.
    fds.push_back({listen_fd_, POLLIN, 0});
    for (auto& c : connections_) fds.push_back({c.fd, static_cast<short>(full ? 0 : POLLIN), 0});
    if (::poll(fds.data(), fds.size(), 500) < 0 && errno != EINTR) break;
    if (fds[0].revents & POLLIN) {
      uint64_t drained;
      [[maybe_unused]] ssize_t n = ::read(wake_fd_, &drained, sizeof drained);
    }
    if (stopping_) break;
    if (fds[1].revents & POLLIN) {
      if (settings_.udp)
        ReadDatagrams(frames);
      else
        Accept();
    }
    for (size_t i = connections_.size(); i-- > 0;) {
      if (!(fds[i + 2].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      if (!ReadConnection(connections_[i], frames)) {
        ::close(connections_[i].fd);
        connections_.erase(connections_.begin() + static_cast<long>(i));
      }
    }
    Publish(frames);
  }
}

void SyslogServer::Accept() {
  while (true) {
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
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
    connections_.push_back({fd, FrameSplitter(settings_.max_message_bytes)});
  }
}

bool SyslogServer::ReadConnection(Connection& c, std::vector<Frame>& frames) {
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
