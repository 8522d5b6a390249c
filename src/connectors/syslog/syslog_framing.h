// Framing of a syslog TCP stream (RFC 6587): either every message ends with a newline ("non-transparent
// framing", what `logger --tcp` and most senders do) or each is preceded by its length and a space
// ("octet counting", `logger --octet-count`, RFC 5425). A connection's first byte decides: a digit means octet
// counting, anything else newlines — a syslog message itself starts with '<'.
//
// A message longer than max_message_bytes is cut there and marked truncated (its rest is read and dropped), so a
// sender that never sends a newline cannot make the buffer grow without bound.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace pipeline::syslog {

struct Frame {
  std::string bytes;
  bool truncated = false;
};

class FrameSplitter {
 public:
  explicit FrameSplitter(size_t max_message_bytes) : max_(max_message_bytes) {}
  // Appends every frame that `bytes` completes to `out`.
  void Feed(std::string_view bytes, std::vector<Frame>& out);
  // The connection ended: a last message without its newline still counts (an octet-counted one cut short is
  // kept as it is, marked truncated).
  void Finish(std::vector<Frame>& out);

 private:
  enum class Mode { kUndecided, kNewline, kOctetCount };
  void SplitLines(std::vector<Frame>& out);
  void SplitCounted(std::vector<Frame>& out);
  void Emit(std::string_view bytes, bool truncated, std::vector<Frame>& out);
  void Compact();

  size_t max_;
  Mode mode_ = Mode::kUndecided;
  std::string buffer_;
  size_t start_ = 0;           // buffer_[start_..] is not consumed yet
  size_t scanned_ = 0;         // newline mode: no '\n' in buffer_[start_..scanned_)
  size_t discard_ = 0;         // octet counting: bytes of a cut message still to drop
  bool discard_line_ = false;  // newline mode: drop up to the next newline (the rest of a cut message)
};

}  // namespace pipeline::syslog
