#include "cli/top_command.h"

#include <httplib.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
#include <cerrno>
#include <csignal>
#include <ctime>
#include <iostream>
#include <thread>

#include "cli/endpoint_client.h"
#include "cli/top_view.h"

namespace pipeline::cli {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kRefresh = std::chrono::seconds(1);

volatile std::sig_atomic_t quit_requested = 0;
void RequestQuit(int) { quit_requested = 1; }

struct Reading {
  std::string error;  // empty when the endpoint answered
  std::vector<MetricSample> samples;
  std::string readiness;  // "ready", or "not ready: why; why"
  Clock::time_point at;
};

Reading Read(httplib::Client& client, const std::string& address) {
  Reading r;
  r.at = Clock::now();
  auto metrics = client.Get("/metrics");
  if (!metrics) {
    r.error = UnreachableMessage(address, httplib::to_string(metrics.error()));
    return r;
  }
  if (metrics->status != 200) {
    r.error = address + "/metrics answered " + std::to_string(metrics->status);
    return r;
  }
  r.samples = ParsePrometheusText(metrics->body);
  auto ready = client.Get("/readyz");
  if (!ready) return r;
  r.readiness = ready->status == 200 ? "ready" : "not ready";
  if (ready->status != 200) {
    std::string body = ready->body;
    size_t first = body.find('\n');  // "not ready" then one reason per line
    std::string reasons = first == std::string::npos ? "" : body.substr(first + 1);
    for (char& c : reasons)
      if (c == '\n') c = ';';
    while (!reasons.empty() && reasons.back() == ';') reasons.pop_back();
    if (!reasons.empty()) r.readiness += ": " + reasons;
  }
  return r;
}

std::string Clock24() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  localtime_r(&now, &tm);
  char text[16];
  std::strftime(text, sizeof text, "%H:%M:%S", &tm);
  return text;
}

std::vector<std::string> Screen(const std::string& address, const Reading& now, const Reading* before, size_t width) {
  std::vector<std::string> lines = {"pipe top  " + address + "  " + Clock24() + "  " +
                                    (now.error.empty() ? now.readiness : "unreachable"),
                                    ""};
  if (!now.error.empty()) {
    lines.push_back(now.error);
  } else {
    double seconds = before ? std::chrono::duration<double>(now.at - before->at).count() : 0;
    auto rows = ComponentRows(now.samples, before && before->error.empty() ? before->samples : std::vector<MetricSample>{},
                              seconds);
    if (rows.empty()) lines.push_back("no components yet (the pipeline is starting or reloading)");
    for (auto& line : RenderTopTable(rows, width)) lines.push_back(std::move(line));
  }
  for (auto& line : lines)
    if (width > 0 && line.size() > width) line.resize(width);
  return lines;
}

size_t TerminalWidth() {
  winsize size{};
  return ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0 ? size.ws_col : 0;
}

void WriteAll(const std::string& text) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(STDOUT_FILENO, text.data() + done, text.size() - done);
    if (n <= 0 && errno != EINTR) return;
    if (n > 0) done += static_cast<size_t>(n);
  }
}

// Keys without Enter and no echo, the alternate screen and a hidden cursor; the destructor puts everything back,
// whichever way the view ends.
class LiveTerminal {
 public:
  LiveTerminal() {
    raw_keys_ = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved_) == 0;
    if (raw_keys_) {
      termios raw = saved_;
      raw.c_lflag &= ~static_cast<tcflag_t>(ICANON | ECHO);  // ISIG stays: Ctrl-C still signals
      raw.c_cc[VMIN] = 0;
      raw.c_cc[VTIME] = 0;
      tcsetattr(STDIN_FILENO, TCSANOW, &raw);
    }
    WriteAll("\x1b[?1049h\x1b[?25l");
  }
  ~LiveTerminal() {
    WriteAll("\x1b[?25h\x1b[?1049l");
    if (raw_keys_) tcsetattr(STDIN_FILENO, TCSANOW, &saved_);
  }
  LiveTerminal(const LiveTerminal&) = delete;
  LiveTerminal& operator=(const LiveTerminal&) = delete;

  void Draw(const std::vector<std::string>& lines) {
    std::string frame = "\x1b[H";
    for (const auto& line : lines) frame += line + "\x1b[K\n";
    frame += "\nq quits; refreshes every second\x1b[K\x1b[J";
    WriteAll(frame);
  }
  // Waits until `deadline` for a key; true when it asks to quit (q, Q, Ctrl-C, Ctrl-D).
  bool QuitKeyBefore(Clock::time_point deadline) {
    while (!quit_requested) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) return false;
      pollfd key{STDIN_FILENO, POLLIN, 0};
      int ready = poll(&key, raw_keys_ ? 1 : 0, static_cast<int>(left));
      if (ready <= 0 || !(key.revents & POLLIN)) continue;  // a timeout, or a signal (EINTR) that may ask to quit
      char bytes[64];
      ssize_t n = read(STDIN_FILENO, bytes, sizeof bytes);
      for (ssize_t i = 0; i < n; ++i)
        if (bytes[i] == 'q' || bytes[i] == 'Q' || bytes[i] == 3 || bytes[i] == 4) return true;
    }
    return true;
  }

 private:
  bool raw_keys_ = false;
  termios saved_{};
};

int Live(httplib::Client& client, const std::string& address) {
  struct sigaction quit{};
  quit.sa_handler = RequestQuit;  // no SA_RESTART: the wait for a key ends at once
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) sigaction(sig, &quit, nullptr);
  LiveTerminal terminal;
  Reading before;
  bool have_before = false;
  while (!quit_requested) {
    Reading now = Read(client, address);
    terminal.Draw(Screen(address, now, have_before ? &before : nullptr, TerminalWidth()));
    if (terminal.QuitKeyBefore(now.at + kRefresh)) break;
    before = std::move(now);
    have_before = true;
  }
  return 0;
}

int Snapshot(httplib::Client& client, const std::string& address) {
  Reading first = Read(client, address);
  if (!first.error.empty()) {
    std::cerr << "pipe top: " << first.error << "\n";
    return 1;
  }
  std::this_thread::sleep_for(kRefresh);  // rates need a second reading
  Reading second = Read(client, address);
  if (!second.error.empty()) {
    std::cerr << "pipe top: " << second.error << "\n";
    return 1;
  }
  for (const auto& line : Screen(address, second, &first, 0)) std::cout << line << "\n";
  return 0;
}

}  // namespace

int RunTopCommand(const TopOptions& options) {
  const std::string address = options.address.empty() ? kDefaultHttpAddress : options.address;
  auto endpoint = ParseEndpointAddress(address);
  if (!endpoint.ok()) {
    std::cerr << "pipe top: " << endpoint.error().message() << "\n";
    return 2;
  }
  httplib::Client client(endpoint->host, endpoint->port);
  client.set_connection_timeout(2, 0);
  client.set_read_timeout(5, 0);
  return isatty(STDOUT_FILENO) ? Live(client, address) : Snapshot(client, address);
}

}  // namespace pipeline::cli
