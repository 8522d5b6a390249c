#include "observability/http_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <chrono>
#include <cstring>
#include <deque>
#include <thread>
#include <utility>

#include "observability/metrics.h"
#include "observability/tap.h"

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
// How soon what a tap buffered is sent on: the loop otherwise sleeps until a socket or a deadline wakes it.
constexpr auto kTapInterval = std::chrono::milliseconds(100);

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
  std::shared_ptr<Tap> tap;  // a /tap stream: `out` is refilled from it once sent
};

// The method and target of a request head's first line; empty method when it is not an HTTP/1.x request line.
struct RequestLine {
  std::string method, path, query;
};

RequestLine ParseRequestLine(const std::string& head) {
  std::string line = head.substr(0, head.find_first_of("\r\n"));
  size_t a = line.find(' '), b = a == std::string::npos ? a : line.find(' ', a + 1);
  if (b == std::string::npos || line.compare(b + 1, 7, "HTTP/1.") != 0) return {};
  std::string target = line.substr(a + 1, b - a - 1);
  size_t q = target.find('?');
  return {line.substr(0, a), target.substr(0, q), q == std::string::npos ? "" : target.substr(q + 1)};
}

std::string PercentDecoded(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += s[i] == '+' ? ' ' : s[i];
    }
  }
  return out;
}

// The value of `name` in a query string ("streams=a,b&sample=10"), decoded; "" when absent.
std::string QueryValue(const std::string& query, const std::string& name) {
  size_t at = 0;
  while (at <= query.size()) {
    size_t end = std::min(query.find('&', at), query.size());
    std::string pair = query.substr(at, end - at);
    if (pair.compare(0, name.size() + 1, name + "=") == 0) return PercentDecoded(pair.substr(name.size() + 1));
    at = end + 1;
  }
  return {};
}

std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> parts;
  size_t at = 0;
  while (at <= text.size()) {
    size_t end = std::min(text.find(',', at), text.size());
    if (end > at) parts.push_back(text.substr(at, end - at));
    at = end + 1;
  }
  return parts;
}

std::string Chunk(const std::string& data) {
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  return size + data + "\r\n";
}

std::string Response(int status, const std::string& content_type, const std::string& body, bool head_only) {
  const char* reason = status == 200   ? "OK"
                       : status == 400 ? "Bad Request"
                       : status == 404 ? "Not Found"
                       : status == 405 ? "Method Not Allowed"
                       : status == 431 ? "Request Header Fields Too Large"
                       : status == 429 ? "Too Many Requests"
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
  TapRegistry* taps = nullptr;
  int listen_fd = -1;
  int wake[2] = {-1, -1};  // a byte on wake[1] ends the loop
  std::thread thread;
  int port = 0;
  std::deque<Connection> connections;  // oldest first

  std::string Answer(const std::string& head) const;
  // GET /tap?streams=a,b&sample=N: attaches a tap and answers with the head of a chunked NDJSON stream, or with
  // an error (404 naming the streams that exist, 429 when too many taps are attached). False for other requests.
  bool StartTap(Connection& c, const std::string& head);
  void SendTapped(Connection& c);
  void Close(Connection& c);
  void Accept();
  void Read(Connection& c);
  void Write(Connection& c);
  void Loop();
};

// The response to a complete request head: the request line decides; headers are not needed for these pages.
std::string HttpServer::Impl::Answer(const std::string& head) const {
  auto [method, path, query] = ParseRequestLine(head);
  if (method.empty()) return Response(400, "text/plain", "bad request\n", false);
  bool head_only = method == "HEAD";
  if (method != "GET" && !head_only) return Response(405, "text/plain", "only GET and HEAD\n", false);
  if (path == "/healthz") return Response(200, "text/plain", "ok\n", head_only);
  if (path == "/metrics") return Response(200, "text/plain; version=0.0.4", metrics->RenderPrometheus(), head_only);
  if (path == "/tap") return Response(404, "text/plain", "not found: this process serves no taps\n", head_only);
  if (path != "/readyz")
    return Response(404, "text/plain", "not found: /healthz, /readyz, /metrics and /tap are served\n", head_only);
  std::vector<std::string> reasons = not_ready ? not_ready() : std::vector<std::string>{"starting"};
  std::string body = reasons.empty() ? "ready\n" : "not ready\n";
  for (const auto& r : reasons) body += r + "\n";
  return Response(reasons.empty() ? 200 : 503, "text/plain", body, head_only);
}

bool HttpServer::Impl::StartTap(Connection& c, const std::string& head) {
  auto [method, path, query] = ParseRequestLine(head);
  if (!taps || method != "GET" || path != "/tap") return false;
  std::string sample = QueryValue(query, "sample");
  uint64_t one_in = 1;
  if (!sample.empty()) {
    if (sample.size() > 12 || sample.find_first_not_of("0123456789") != std::string::npos || std::stoull(sample) == 0) {
      c.out = Response(400, "text/plain", "sample: expected a whole number of records, 1 or more\n", false);
      return true;
    }
    one_in = std::stoull(sample);
  }
  auto tap = taps->Attach(SplitCommas(QueryValue(query, "streams")), one_in);
  if (!tap.ok()) {
    c.out = Response(tap.error().kind() == ErrorKind::kConfig ? 404 : 429, "text/plain", tap.error().message() + "\n",
                     false);
    return true;
  }
  c.tap = std::move(*tap);
  c.out = "HTTP/1.1 200 OK\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n"
          "Cache-Control: no-store\r\nConnection: close\r\n\r\n";
  c.deadline = Clock::time_point::max();  // as long as the client wants: taps are few (TapRegistry::kMaxTaps)
  return true;
}

// Once everything before is sent: what the tap buffered meanwhile, after a line saying how many it dropped.
void HttpServer::Impl::SendTapped(Connection& c) {
  std::string data;
  if (uint64_t dropped = c.tap->Take(data); dropped > 0)
    data = "{\"dropped\":" + std::to_string(dropped) + "}\n" + data;
  if (data.empty()) return;
  c.out = Chunk(data);
  c.sent = 0;
  Write(c);
}

void HttpServer::Impl::Close(Connection& c) {
  close(c.fd);
  if (c.tap) taps->Detach(std::exchange(c.tap, nullptr));
}

void HttpServer::Impl::Accept() {
  while (true) {
    int fd = accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      // Out of descriptors: the oldest connection makes room, as it would for one more client.
      if ((errno == EMFILE || errno == ENFILE) && !connections.empty()) {
        Close(connections.front());
        connections.pop_front();
        continue;
      }
      return;  // EAGAIN: all taken; anything else: the client is gone already
    }
    if (connections.size() >= kMaxConnections) {
      Close(connections.front());
      connections.pop_front();
    }
    connections.push_back(Connection{fd, Clock::now() + kRequestDeadline, {}, {}, 0, false, false, nullptr});
  }
}

void HttpServer::Impl::Read(Connection& c) {
  char buffer[4096];
  ssize_t n = recv(c.fd, buffer, sizeof(buffer), 0);
  if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
    c.done = true;
    return;
  }
  if (n < 0 || c.draining || c.tap) return;  // a tap's client has nothing more to say
  c.in.append(buffer, static_cast<size_t>(n));
  size_t end = c.in.find("\r\n\r\n");
  if (end == std::string::npos) end = c.in.find("\n\n");
  if (end != std::string::npos && end <= kMaxRequestHead) {
    if (!StartTap(c, c.in)) c.out = Answer(c.in);
  } else if (c.in.size() > kMaxRequestHead) c.out = Response(431, "text/plain", "request head too large\n", false);
  if (c.out.empty()) return;
  if (!c.tap) c.deadline = Clock::now() + kResponseDeadline;
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
  if (c.sent == c.out.size() && c.tap) {
    c.out.clear();
    c.sent = 0;
  } else if (c.sent == c.out.size()) {
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
      next = std::min(next, c.tap ? Clock::now() + kTapInterval : c.deadline);
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
      if (!c.done && c.tap && c.out.empty()) SendTapped(c);
      if (!c.done && now >= c.deadline) c.done = true;
      if (c.done) Close(c);
    }
    std::erase_if(connections, [](const Connection& c) { return c.done; });
    if (fds[1].revents & POLLIN) Accept();
  }
  for (auto& c : connections) {
    // A tap that is not in the middle of a chunk ends its stream properly: the client sees the end, not a cut.
    if (c.tap && c.out.empty()) (void)!send(c.fd, "0\r\n\r\n", 5, MSG_NOSIGNAL | MSG_DONTWAIT);
    Close(c);
  }
  connections.clear();
}

HttpServer::HttpServer(MetricsRegistry* metrics, std::function<std::vector<std::string>()> not_ready,
                       TapRegistry* taps)
    : impl_(std::make_unique<Impl>()) {
  impl_->metrics = metrics;
  impl_->not_ready = std::move(not_ready);
  impl_->taps = taps;
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
