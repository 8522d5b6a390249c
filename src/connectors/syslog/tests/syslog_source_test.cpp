#include "connectors/syslog/syslog_source.h"

#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>

namespace pipeline::syslog {
namespace {

int Connect(int port, bool udp) {
  int fd = ::socket(AF_INET, udp ? SOCK_DGRAM : SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  return fd;
}

void Send(int fd, const std::string& bytes) {
  REQUIRE(::send(fd, bytes.data(), bytes.size(), 0) == static_cast<ssize_t>(bytes.size()));
}

// Reads until `n` records arrived (or 5 s passed).
Batch ReadRecords(SyslogSource& source, size_t n) {
  Batch batch;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (batch.size() < n && std::chrono::steady_clock::now() < deadline) REQUIRE(source.Read(batch, {}).ok());
  return batch;
}

std::string Field(const Record& r, std::string_view name) {
  const Value* v = r.value.as_struct().Find(name);
  return v && v->is_string() ? v->as_string() : (v && !v->is_null() ? v->ToString() : "<null>");
}

SyslogSettings OnAnyPort(bool udp = false) {
  SyslogSettings s;
  s.server.port = 0;
  s.server.udp = udp;
  return s;
}

TEST_SUITE("connectors.syslog.source") {
  TEST_CASE("tcp: newline and octet-counted connections, a malformed line kept with parse_error") {
    SyslogSource source(OnAnyPort());
    SourceContext ctx;
    ctx.name = "logs";
    REQUIRE(source.Open(ctx).ok());
    int lines = Connect(source.port(), false);
    int counted = Connect(source.port(), false);
    Send(lines, "<86>Dec  5 05:30:01 web1 sshd[4242]: Invalid user admin\nnot syslog at all\n");
    Send(counted, "57 <165>1 2003-10-11T22:14:15.003Z h app 1 ID [a@1 b=\"c\"] hi");
    Batch batch = ReadRecords(source, 3);
    REQUIRE(batch.size() == 3);
    int parsed = 0;
    for (const Record& r : batch.records) {
      CHECK(r.topic == "logs");
      CHECK(r.position.valid());
      if (Field(r, "app") == "sshd") {
        ++parsed;
        CHECK(Field(r, "host") == "web1");
        CHECK(Field(r, "procid") == "4242");
        CHECK(Field(r, "severity_name") == "info");
        CHECK(Field(r, "facility_name") == "authpriv");
        CHECK(Field(r, "message") == "Invalid user admin");
      } else if (Field(r, "app") == "app") {
        ++parsed;
        CHECK(r.timestamp == 1065910455003);
        CHECK(Field(r, "msgid") == "ID");
        CHECK(r.value.as_struct().Find("structured_data")->is_map());
        CHECK(Field(r, "message") == "hi");
      } else {
        CHECK(Field(r, "message") == "not syslog at all");
        CHECK(Field(r, "parse_error") == "byte 0: expected '<' and a priority");
      }
    }
    CHECK(parsed == 2);
    CHECK_FALSE(batch.progress.empty());
    ::close(lines);
    ::close(counted);
    source.Close();
  }

  TEST_CASE("udp: one message per datagram") {
    SyslogSource source(OnAnyPort(true));
    SourceContext ctx;
    ctx.name = "udp";
    REQUIRE(source.Open(ctx).ok());
    int fd = Connect(source.port(), true);
    Send(fd, "<13>1 - h a - - - one");
    Send(fd, "<13>1 - h a - - - two\n");
    Batch batch = ReadRecords(source, 2);
    REQUIRE(batch.size() == 2);
    CHECK(Field(batch.records[1], "message") == "two");
    ::close(fd);
    source.Close();
  }

  TEST_CASE("backpressure: a full queue stops reading tcp (the sender blocks), nothing is lost") {
    SyslogSettings settings = OnAnyPort();
    settings.server.queue_frames = 16;
    SyslogSource source(settings);
    SourceContext ctx;
    ctx.name = "slow";
    REQUIRE(source.Open(ctx).ok());
    int fd = Connect(source.port(), false);
    const std::string line = "<13>1 - h a - - - " + std::string(200, 'x') + "\n";
    size_t sent = 0;
    std::string rest;  // of a line the socket took in part
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline && rest.empty()) {  // until the socket buffers are full
      ssize_t n = ::send(fd, line.data(), line.size(), MSG_DONTWAIT);
      if (n < 0) break;
      ++sent;
      if (n < static_cast<ssize_t>(line.size())) rest = line.substr(static_cast<size_t>(n));
    }
    CHECK(sent > 16);
    CHECK(sent < 1'000'000);  // the sender was stopped, not everything buffered in pipe
    std::thread finish([&] {  // blocks until the source reads again
      if (!rest.empty()) Send(fd, rest);
      ::close(fd);
    });
    Batch batch = ReadRecords(source, sent);
    finish.join();
    CHECK(batch.size() == sent);
    source.Close();
  }

  TEST_CASE("udp under overload: datagrams beyond the queue are dropped and counted") {
    ServerSettings settings;
    settings.port = 0;
    settings.udp = true;
    settings.queue_frames = 4;
    Counter dropped;
    settings.dropped_datagrams = &dropped;
    SyslogServer server(settings);
    REQUIRE(server.Start().ok());
    int fd = Connect(server.port(), true);
    for (int i = 0; i < 50; ++i) Send(fd, "<13>1 - h a - - - n" + std::to_string(i));
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (server.dropped_datagrams() < 46 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    CHECK(server.dropped_datagrams() == 46);
    CHECK(dropped.value() == 46);
    std::vector<Frame> frames;
    server.Take(frames, 100, std::chrono::milliseconds(100));
    CHECK(frames.size() == 4);
    ::close(fd);
    server.Stop();
  }

  TEST_CASE("max_connections: one more connection is closed at once and counted") {
    ServerSettings settings;
    settings.port = 0;
    settings.max_connections = 1;
    SyslogServer server(settings);
    REQUIRE(server.Start().ok());
    int first = Connect(server.port(), false);
    Send(first, "<13>1 - h a - - - one\n");
    std::vector<Frame> frames;
    server.Take(frames, 10, std::chrono::milliseconds(2000));  // the first connection is being served
    REQUIRE(frames.size() == 1);
    int second = Connect(server.port(), false);
    timeval five_seconds{5, 0};  // a failure must not hang the test run
    ::setsockopt(second, SOL_SOCKET, SO_RCVTIMEO, &five_seconds, sizeof five_seconds);
    char byte;
    CHECK(::recv(second, &byte, 1, 0) == 0);  // closed by the server
    CHECK(server.refused_connections() == 1);
    ::close(first);
    ::close(second);
    server.Stop();
  }

  TEST_CASE("a port in use is retryable") {
    SyslogSource first(OnAnyPort());
    SourceContext ctx;
    REQUIRE(first.Open(ctx).ok());
    SyslogSettings same;
    same.server.port = first.port();
    SyslogSource second(same);
    Status s = second.Open(ctx);
    CHECK(s.error().kind() == ErrorKind::kRetryable);
    first.Close();
  }
}

}  // namespace
}  // namespace pipeline::syslog
