// ScriptedHttpServer: a loopback HTTP/1.1 server for unit tests that answers each request with the next raw reply
// of a script (so a test can send a half answer, or none) and records what it received.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace pipeline::http::testing {

struct ScriptedReply {
  std::string raw;                           // written as is
  std::chrono::milliseconds delay{0};        // before writing
  bool close_after = false;                  // close the connection after writing
};

class ScriptedHttpServer {
 public:
  explicit ScriptedHttpServer(std::vector<ScriptedReply> script) : script_(std::move(script)) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
    ::listen(listener_, 8);
    socklen_t len = sizeof addr;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { Serve(); });
  }
  ~ScriptedHttpServer() {
    ::shutdown(listener_, SHUT_RDWR);
    ::close(listener_);
    thread_.join();
  }
  std::string url(const std::string& path = "/") const { return "http://127.0.0.1:" + std::to_string(port_) + path; }
  // Every request received, head and body as sent.
  std::vector<std::string> requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }
  int connections() {
    std::lock_guard lock(mu_);
    return connections_;
  }

 private:
  void Serve() {
    size_t next = 0;
    while (next < script_.size()) {
      int fd = ::accept(listener_, nullptr, nullptr);
      if (fd < 0) return;
      {
        std::lock_guard lock(mu_);
        ++connections_;
      }
      while (next < script_.size()) {
        std::string request;
        if (!ReadRequest(fd, request)) break;
        {
          std::lock_guard lock(mu_);
          requests_.push_back(request);
        }
        const ScriptedReply& reply = script_[next++];
        std::this_thread::sleep_for(reply.delay);
        (void)!::write(fd, reply.raw.data(), reply.raw.size());
        if (reply.close_after) break;
      }
      ::close(fd);
    }
  }
  static bool ReadRequest(int fd, std::string& request) {
    char buf[4096];
    size_t head_end = std::string::npos;
    size_t wanted = 0;
    while (true) {
      if (head_end == std::string::npos && (head_end = request.find("\r\n\r\n")) != std::string::npos) {
        head_end += 4;
        std::string head = request.substr(0, head_end);
        for (auto& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        size_t at = head.find("content-length:");
        wanted = at == std::string::npos ? 0 : std::stoul(head.substr(at + 15));
      }
      if (head_end != std::string::npos && request.size() >= head_end + wanted) return true;
      ssize_t n = ::read(fd, buf, sizeof buf);
      if (n <= 0) return false;
      request.append(buf, static_cast<size_t>(n));
    }
  }

  std::vector<ScriptedReply> script_;
  int listener_ = -1;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<std::string> requests_;
  int connections_ = 0;
};

}  // namespace pipeline::http::testing
