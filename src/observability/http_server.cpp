#include "observability/http_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <deque>
#include <thread>
#include <utility>

#include "observability/metrics.h"

namespace pipeline {

namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kMaxConnections = 256;
constexpr size_t kMaxRequestHead = 16 * 1024;
// From accept to the end of the request head; a probe needs milliseconds, and no header line resets it.
constexpr auto kRequestDeadline = std::chrono::seconds(3);
// For the response to be taken once the request is in (a /metrics page is a few hundred kilobytes at most).
constexpr auto kResponseDeadline = std::chrono::seconds(10);
// After the response: a socket closed with unread input sends a reset, which can destroy the response before the
// client has read it (a 431 to a request still arriving), so what is still coming is read and dropped a while.
constexpr auto kDrainDeadline = std::chrono::seconds(1);

struct HostPort {
  std::string host, port;
};

Result<HostPort> ParseAddress(const std::string& address) {
  const std::string usage = "--http " + address + ": expected HOST:PORT, e.g. 127.0.0.1:8686";
  size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0) return ConfigError(usage);
  HostPort hp{address.substr(0, colon), address.substr(colon + 1)};
  if (hp.host.size() > 2 && hp.host.front() == '[' && hp.host.back() == ']')
    hp.host = hp.host.substr(1, hp.host.size() - 2);  // [::1]:8686
  if (hp.port.empty() || hp.port.size() > 5 || hp.port.find_first_not_of("0123456789") != std::string::npos ||
      std::stoi(hp.port) > 65535)
    return ConfigError("--http " + address + ": the port must be a number from 0 to 65535 (0 picks a free one), " +
                       "got '" + hp.port + "'");
  return hp;
}

struct AddressList {
  addrinfo* list = nullptr;
  ~AddressList() {
    if (list) freeaddrinfo(list);
  }
};

Status Resolve(const std::string& address, AddressList& out) {
  auto hp = ParseAddress(address);
  if (!hp.ok()) return hp.error();
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  int rc = getaddrinfo(hp->host.c_str(), hp->port.c_str(), &hints, &out.list);
  if (rc != 0) return ConfigError("--http " + address + ": cannot resolve '" + hp->host + "': " + gai_strerror(rc));
  return {};
}

struct Connection {
  int fd = -1;
  Clock::time_point deadline;
  std::string in, out;
  size_t sent = 0;
  bool draining = false;  // answered; reading what the client still sends so that closing does not reset
  bool done = false;
};

std::string Response(int status, const std::string& content_type, const std::string& body, bool head_only) {
  const char* reason = status == 200   ? "OK"
                       : status == 400 ? "Bad Request"
                       : status == 404 ? "Not Found"
                       : status == 405 ? "Method Not Allowed"
                       : status == 431 ? "Request Header Fields Too Large"
                                       : "Service Unavailable";
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\nContent-Type: " + content_type +
                    "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n";
  if (status == 405) out += "Allow: GET, HEAD\r\n";
  return out + "\r\n" + (head_only ? "" : body);
}

}  // namespace

Status CheckHttpAddress(const std::string& address) {
  AddressList addresses;
  return Resolve(address, addresses);
}

struct HttpServer::Impl {
  MetricsRegistry* metrics = nullptr;
  std::function<std::vector<std::string>()> not_ready;
  int listen_fd = -1;
  int wake[2] = {-1, -1};  // a byte on wake[1] ends the loop
  std::thread thread;
  int port = 0;
  std::deque<Connection> connections;  // oldest first

  std::string Answer(const std::string& head) const;
  void Accept();
  void Read(Connection& c);
  void Write(Connection& c);
  void Loop();
};

// The response to a complete request head: the request line decides; headers are not needed for these pages.
std::string HttpServer::Impl::Answer(const std::string& head) const {
  std::string line = head.substr(0, head.find_first_of("\r\n"));
  size_t a = line.find(' '), b = a == std::string::npos ? a : line.find(' ', a + 1);
  if (b == std::string::npos || line.compare(b + 1, 7, "HTTP/1.") != 0)
    return Response(400, "text/plain", "bad request\n", false);
  std::string method = line.substr(0, a), path = line.substr(a + 1, b - a - 1);
  path = path.substr(0, path.find('?'));
  bool head_only = method == "HEAD";
  if (method != "GET" && !head_only) return Response(405, "text/plain", "only GET and HEAD\n", false);
  if (path == "/healthz") return Response(200, "text/plain", "ok\n", head_only);
  if (path == "/metrics") return Response(200, "text/plain; version=0.0.4", metrics->RenderPrometheus(), head_only);
  if (path != "/readyz") return Response(404, "text/plain", "not found: /healthz, /readyz and /metrics are served\n",
                                         head_only);
  std::vector<std::string> reasons = not_ready ? not_ready() : std::vector<std::string>{"starting"};
  std::string body = reasons.empty() ? "ready\n" : "not ready\n";
  for (const auto& r : reasons) body += r + "\n";
  return Response(reasons.empty() ? 200 : 503, "text/plain", body, head_only);
}

void HttpServer::Impl::Accept() {
  while (true) {
    int fd = accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      // Out of descriptors: the oldest connection makes room, as it would for one more client.
      if ((errno == EMFILE || errno == ENFILE) && !connections.empty()) {
        close(connections.front().fd);
        connections.pop_front();
        continue;
      }
      return;  // EAGAIN: all taken; anything else: the client is gone already
    }
    if (connections.size() >= kMaxConnections) {
      close(connections.front().fd);
      connections.pop_front();
    }
    connections.push_back(Connection{fd, Clock::now() + kRequestDeadline, {}, {}, 0, false});
  }
}

void HttpServer::Impl::Read(Connection& c) {
  char buffer[4096];
  ssize_t n = recv(c.fd, buffer, sizeof(buffer), 0);
  if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
    c.done = true;
    return;
  }
  if (n < 0 || c.draining) return;
  c.in.append(buffer, static_cast<size_t>(n));
  size_t end = c.in.find("\r\n\r\n");
  if (end == std::string::npos) end = c.in.find("\n\n");
  if (end != std::string::npos && end <= kMaxRequestHead) c.out = Answer(c.in);
  else if (c.in.size() > kMaxRequestHead) c.out = Response(431, "text/plain", "request head too large\n", false);
  if (c.out.empty()) return;
  c.deadline = Clock::now() + kResponseDeadline;
  Write(c);
}

void HttpServer::Impl::Write(Connection& c) {
  ssize_t n = send(c.fd, c.out.data() + c.sent, c.out.size() - c.sent, MSG_NOSIGNAL);
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
  if (n < 0) {
    c.done = true;
    return;
  }
  c.sent += static_cast<size_t>(n);
  if (c.sent == c.out.size()) {
    shutdown(c.fd, SHUT_WR);
    c.draining = true;
    c.deadline = std::min(c.deadline, Clock::now() + kDrainDeadline);
  }
}

void HttpServer::Impl::Loop() {
  std::vector<pollfd> fds;
  while (true) {
    fds.assign({{wake[0], POLLIN, 0}, {listen_fd, POLLIN, 0}});
    Clock::time_point next = Clock::time_point::max();
    for (const auto& c : connections) {
      fds.push_back({c.fd, static_cast<short>(c.out.empty() || c.draining ? POLLIN : POLLOUT), 0});
      next = std::min(next, c.deadline);
    }
    int timeout = -1;
    if (next != Clock::time_point::max())
      timeout = static_cast<int>(std::max<int64_t>(
          0, std::chrono::duration_cast<std::chrono::milliseconds>(next - Clock::now()).count() + 1));
    if (poll(fds.data(), fds.size(), timeout) < 0 && errno != EINTR) break;
    if (fds[0].revents) break;
    Clock::time_point now = Clock::now();
    for (size_t i = 0; i < connections.size(); ++i) {
      Connection& c = connections[i];
      short events = fds[i + 2].revents;
      if (events & POLLOUT) Write(c);
      else if (events & (POLLIN | POLLHUP | POLLERR)) Read(c);
      if (!c.done && now >= c.deadline) c.done = true;
      if (c.done) close(c.fd);
    }
    std::erase_if(connections, [](const Connection& c) { return c.done; });
    if (fds[1].revents & POLLIN) Accept();
  }
  for (const auto& c : connections) close(c.fd);
  connections.clear();
}

HttpServer::HttpServer(MetricsRegistry* metrics, std::function<std::vector<std::string>()> not_ready)
    : impl_(std::make_unique<Impl>()) {
  impl_->metrics = metrics;
  impl_->not_ready = std::move(not_ready);
}

HttpServer::~HttpServer() { Stop(); }

Status HttpServer::Start(const std::string& address) {
  AddressList addresses;
  if (Status s = Resolve(address, addresses); !s.ok()) return s;
  std::string why = "no address";
  for (addrinfo* ai = addresses.list; ai; ai = ai->ai_next) {
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) continue;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 128) == 0) {
      impl_->listen_fd = fd;
      break;
    }
    why = std::strerror(errno);
    close(fd);
  }
  if (impl_->listen_fd < 0) return ConfigError("--http " + address + ": cannot listen there: " + why);
  sockaddr_storage bound{};
  socklen_t len = sizeof(bound);
  getsockname(impl_->listen_fd, reinterpret_cast<sockaddr*>(&bound), &len);
  impl_->port = bound.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port)
                                             : ntohs(reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  if (pipe2(impl_->wake, O_CLOEXEC) != 0) return ConfigError("--http " + address + ": " + std::strerror(errno));
  impl_->thread = std::thread([impl = impl_.get()] { impl->Loop(); });
  return {};
}

int HttpServer::port() const { return impl_->port; }

void HttpServer::Stop() {
  if (!impl_) return;
  if (impl_->thread.joinable()) {
    char byte = 1;
    (void)!write(impl_->wake[1], &byte, 1);
    impl_->thread.join();
  }
  for (int* fd : {&impl_->listen_fd, &impl_->wake[0], &impl_->wake[1]})
    if (*fd >= 0) close(std::exchange(*fd, -1));
}

}  // namespace pipeline
