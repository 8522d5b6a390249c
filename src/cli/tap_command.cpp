#include "cli/tap_command.h"

#include <httplib.h>

#include <cctype>
#include <cstdlib>
#include <cmath>
#include <ostream>

#include "cli/endpoint_client.h"
#include "formats/format.h"
#include "formats/json.h"

namespace pipeline::cli {

namespace {

// A tap has no end of its own: a quiet stream may send nothing for a long time.
constexpr time_t kReadTimeoutSeconds = 365 * 24 * 3600;

std::string QueryEscaped(const std::string& text) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// Lines of the NDJSON stream: records go to `out`, the server's notes on dropped records to `err`.
class TapPrinter {
 public:
  TapPrinter(const TapOptions& options, std::ostream& out, std::ostream& err)
      : options_(options), out_(out), err_(err) {
    if (auto pretty = MakeEncoder("pretty"); pretty.ok() && options.format == "pretty") pretty_ = std::move(*pretty);
  }

  // False once the limit is reached.
  bool Feed(const char* data, size_t size) {
    pending_.append(data, size);
    size_t start = 0, newline;
    bool more = true;
    while (more && (newline = pending_.find('\n', start)) != std::string::npos) {
      more = Line(std::string_view(pending_).substr(start, newline - start));
      start = newline + 1;
    }
    pending_.erase(0, start);
    out_.flush();
    return more;
  }
  int64_t printed() const { return printed_; }

 private:
  bool Line(std::string_view line) {
    if (line.rfind("{\"dropped\":", 0) == 0) {
      auto note = ParseJson(line);
      if (note.ok() && note->Field("dropped"))
        err_ << "pipe tap: " << note->Field("dropped")->as_int()
             << " records were dropped: this tap read more slowly than they came (--sample N keeps one in N)\n";
      return true;
    }
    if (pretty_) {
      Record view;
      auto parsed = ParseJson(line);
      view.value = parsed.ok() ? std::move(*parsed) : Value(std::string(line));
      std::string text;
      pretty_->Encode(view, text);  // the printer of the stdout sink's `format: pretty`
      out_ << text << '\n';
    } else {
      out_ << line << '\n';
    }
    ++printed_;
    return options_.limit <= 0 || printed_ < options_.limit;
  }

  const TapOptions& options_;
  std::ostream& out_;
  std::ostream& err_;
  std::unique_ptr<Encoder> pretty_;  // null: the lines as they come
  std::string pending_;
  int64_t printed_ = 0;
};

}  // namespace

uint64_t SampleOneIn(const std::string& text) {
  if (text.empty()) return 1;
  char* end = nullptr;
  double n = std::strtod(text.c_str(), &end);
  std::string rest = end ? std::string(end) : "";
  if (!(n > 0) || !std::isfinite(n)) return 0;
  if (rest == "%") return n <= 100 ? static_cast<uint64_t>(std::llround(100 / n)) : 0;
  if (!rest.empty()) return 0;
  if (text.find('.') != std::string::npos) return n <= 1 ? static_cast<uint64_t>(std::llround(1 / n)) : 0;
  return static_cast<uint64_t>(n);
}

int RunTapCommand(const TapOptions& options, std::ostream& out, std::ostream& err) {
  const std::string address = options.address.empty() ? kDefaultHttpAddress : options.address;
  auto endpoint = ParseEndpointAddress(address);
  if (!endpoint.ok()) {
    err << "pipe tap: " << endpoint.error().message() << "\n";
    return 2;
  }
  uint64_t one_in = SampleOneIn(options.sample);
  if (one_in == 0) {
    err << "pipe tap: --sample " << options.sample
        << ": expected one in N (10), a fraction (0.1) or a percentage (10%) of the records\n";
    return 2;
  }
  std::string streams;
  for (const auto& s : options.streams) streams += (streams.empty() ? "" : ",") + QueryEscaped(s);
  httplib::Client client(endpoint->host, endpoint->port);
  client.set_connection_timeout(3, 0);
  client.set_read_timeout(kReadTimeoutSeconds, 0);
  TapPrinter printer(options, out, err);
  int status = 0;
  std::string refusal;
  bool limit_reached = false;
  auto result = client.Get(
      "/tap?streams=" + streams + "&sample=" + std::to_string(one_in),
      [&](const httplib::Response& response) {
        status = response.status;
        return true;
      },
      [&](const char* data, size_t size) {
        if (status != 200) {
          refusal.append(data, std::min<size_t>(size, 64 * 1024 - refusal.size()));
          return refusal.size() < 64 * 1024;
        }
        limit_reached = !printer.Feed(data, size);
        return !limit_reached;
      });
  if (limit_reached) return 0;
  if (status == 404 || status == 400) {
    while (!refusal.empty() && refusal.back() == '\n') refusal.pop_back();
    err << "pipe tap: " << (refusal.empty() ? "the endpoint at " + address + " serves no taps" : refusal) << "\n";
    return 2;
  }
  if (status != 0 && status != 200) {
    err << "pipe tap: " << address << " answered " << status << ": " << refusal;
    return 1;
  }
  if (status == 0) {
    err << "pipe tap: " << UnreachableMessage(address, httplib::to_string(result.error())) << "\n";
    return 1;
  }
  err << "pipe tap: the pipeline at " << address << " stopped (it ended or was stopped); "
      << printer.printed() << " records shown\n";
  return 0;
}

}  // namespace pipeline::cli
