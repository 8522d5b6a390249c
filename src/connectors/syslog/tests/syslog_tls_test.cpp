// The syslog server over TLS, with a real OpenSSL client: frames arrive, a silent connection is closed at the
// handshake timeout without holding up the others, and a full queue stops reading a TLS connection without losing
// anything. Certificates are made by the openssl command in a temporary directory.
#include "connectors/syslog/syslog_tls.h"

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include "connectors/syslog/syslog_server.h"

namespace pipeline::syslog {
namespace {

// A CA, and a server certificate for 127.0.0.1 signed by it; empty when openssl is missing.
std::string MakeCertificates() {
  const std::string d =
      (std::filesystem::temp_directory_path() / ("pipe-syslog-tls-" + std::to_string(::getpid()))).string();
  std::filesystem::create_directories(d);
  const std::string ec = " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
  const std::string script =
      "cd " + d + " && openssl req -x509" + ec + " -days 1 -subj /CN=ca -keyout ca.key -out ca.pem && openssl req" +
      ec + " -subj /CN=server -keyout server.key -out server.csr && echo subjectAltName=IP:127.0.0.1 > ext && " +
      "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 1 -extfile ext " +
      "-out server.pem 2>/dev/null >/dev/null";
  return std::system((script + " 2>/dev/null >/dev/null").c_str()) == 0 ? d : "";
}

// Made once for the run, removed at its end.
const std::string& Certificates() {
  static const struct Dir {
    std::string path = MakeCertificates();
    ~Dir() {
      if (!path.empty()) std::filesystem::remove_all(path);
    }
  } dir;
  return dir.path;
}

int ConnectTcp(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  timeval five_seconds{5, 0};  // a failure must not hang the test run
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &five_seconds, sizeof five_seconds);
  return fd;
}

// A blocking client that checks the server's certificate against the test CA.
class TlsClient {
 public:
  explicit TlsClient(int port) : ctx_(SSL_CTX_new(TLS_client_method())), fd_(ConnectTcp(port)) {
    REQUIRE(SSL_CTX_load_verify_locations(ctx_, (Certificates() + "/ca.pem").c_str(), nullptr) == 1);
    SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
    ssl_ = SSL_new(ctx_);
    SSL_set_fd(ssl_, fd_);
    REQUIRE(SSL_connect(ssl_) == 1);
  }
  ~TlsClient() {
    SSL_free(ssl_);
    SSL_CTX_free(ctx_);
    ::close(fd_);
  }
  bool Send(const std::string& bytes) {
    size_t written = 0;
    return SSL_write_ex(ssl_, bytes.data(), bytes.size(), &written) == 1 && written == bytes.size();
  }

 private:
  SSL_CTX* ctx_;
  SSL* ssl_ = nullptr;
  int fd_;
};

ServerSettings TlsOnAnyPort() {
  ServerSettings s;
  s.port = 0;
  s.tls.configured = true;
  s.tls.cert_file = Certificates() + "/server.pem";
  s.tls.key_file = Certificates() + "/server.key";
  return s;
}

std::vector<Frame> TakeFrames(SyslogServer& server, size_t n) {
  std::vector<Frame> frames;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (frames.size() < n && std::chrono::steady_clock::now() < deadline)
    server.Take(frames, n, std::chrono::milliseconds(50));  // n in all, counting those in frames
  return frames;
}

TEST_SUITE("connectors.syslog.tls") {
  TEST_CASE("a key that does not match the certificate is a configuration error") {
    REQUIRE_MESSAGE(!Certificates().empty(), "the openssl command is needed");
    TlsSettings tls = TlsOnAnyPort().tls;
    tls.key_file = Certificates() + "/ca.key";
    auto context = TlsServerContext::Create(tls);
    REQUIRE(!context.ok());
    CHECK(context.error().kind() == ErrorKind::kConfig);
    CHECK(context.error().message().find("key_file") != std::string::npos);
  }

  TEST_CASE("frames arrive over TLS; a silent connection is closed at the timeout, alone, and counted") {
    REQUIRE_MESSAGE(!Certificates().empty(), "the openssl command is needed");
    ServerSettings settings = TlsOnAnyPort();
    settings.handshake_timeout = std::chrono::milliseconds(300);
    Counter failures;
    settings.tls_handshake_failures = &failures;
    SyslogServer server(settings);
    REQUIRE(server.Start().ok());
    const int silent = ConnectTcp(server.port());
    const auto started = std::chrono::steady_clock::now();
    {
      TlsClient client(server.port());  // served while the silent one waits
      std::string many;                 // one TLS record holding many frames: all arrive without more from the socket
      for (int i = 0; i < 100; ++i) many += "<13>1 - h a - - - m" + std::to_string(i) + "\n";
      REQUIRE(client.Send("21 <13>1 - h a - - - one" + many));
      auto frames = TakeFrames(server, 101);
      REQUIRE(frames.size() == 101);
      CHECK(frames[0].bytes == "<13>1 - h a - - - one");
      CHECK(frames[100].bytes == "<13>1 - h a - - - m99");
      CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(300));
    }
    char byte;
    CHECK(::recv(silent, &byte, 1, 0) == 0);  // closed by the server
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(3));
    CHECK(server.tls_handshake_failures() == 1);
    CHECK(failures.value() == 1);
    ::close(silent);
    server.Stop();
  }

  TEST_CASE("a handshake that trickles in a byte at a time is closed at the deadline too") {
    REQUIRE_MESSAGE(!Certificates().empty(), "the openssl command is needed");
    ServerSettings settings = TlsOnAnyPort();
    settings.handshake_timeout = std::chrono::milliseconds(300);
    SyslogServer server(settings);
    REQUIRE(server.Start().ok());
    const int fd = ConnectTcp(server.port());
    const std::string header("\x16\x03\x01\x02\x00", 5);  // a handshake record of 512 bytes, which never come
    REQUIRE(::send(fd, header.data(), header.size(), MSG_NOSIGNAL) == 5);
    const auto started = std::chrono::steady_clock::now();
    bool closed = false;
    while (!closed && std::chrono::steady_clock::now() - started < std::chrono::seconds(3)) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      closed = ::send(fd, "x", 1, MSG_NOSIGNAL) != 1;
    }
    CHECK(closed);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::milliseconds(1500));
    CHECK(server.tls_handshake_failures() == 1);
    ::close(fd);
    server.Stop();
  }

  TEST_CASE("backpressure over TLS: a full queue stops reading (the sender blocks), nothing is lost") {
    REQUIRE_MESSAGE(!Certificates().empty(), "the openssl command is needed");
    ServerSettings settings = TlsOnAnyPort();
    settings.queue_frames = 16;
    SyslogServer server(settings);
    REQUIRE(server.Start().ok());
    constexpr int kMessages = 40000;  // 20 MB: more than the kernel's socket buffers hold
    const std::string line = "<13>1 - h a - - - " + std::string(480, 'x') + "\n";
    std::atomic<int> sent{0};
    std::thread sender([&] {
      sigset_t pipe;  // Stop below closes the connection under a sender still writing: EPIPE, not a signal
      sigemptyset(&pipe);
      sigaddset(&pipe, SIGPIPE);
      pthread_sigmask(SIG_BLOCK, &pipe, nullptr);
      TlsClient client(server.port());
      for (int i = 0; i < kMessages && client.Send(line); ++i) sent = i + 1;
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    CHECK(sent.load() < kMessages);  // held up: pipe did not buffer everything
    auto frames = TakeFrames(server, kMessages);
    server.Stop();  // a sender still blocked (frames lost) must not hang the run
    sender.join();
    CHECK(sent.load() == kMessages);
    CHECK(frames.size() == kMessages);
    CHECK(frames.back().bytes == line.substr(0, line.size() - 1));
  }
}

}  // namespace
}  // namespace pipeline::syslog
