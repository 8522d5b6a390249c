#include "connectors/syslog/syslog_framing.h"

#include <algorithm>

namespace pipeline::syslog {

void FrameSplitter::Feed(std::string_view bytes, std::vector<Frame>& out) {
  if (bytes.empty()) return;
  if (mode_ == Mode::kUndecided) mode_ = bytes[0] >= '0' && bytes[0] <= '9' ? Mode::kOctetCount : Mode::kNewline;
  buffer_.append(bytes);
  if (mode_ == Mode::kNewline)
    SplitLines(out);
  else
    SplitCounted(out);
  Compact();
}

void FrameSplitter::Emit(std::string_view bytes, bool truncated, std::vector<Frame>& out) {
  if (!bytes.empty() && bytes.back() == '\r') bytes.remove_suffix(1);
  if (bytes.empty() && !truncated) return;  // blank lines between messages
  out.push_back(Frame{std::string(bytes), truncated});
}

void FrameSplitter::SplitLines(std::vector<Frame>& out) {
  while (true) {
    size_t newline = buffer_.find('\n', std::max(scanned_, start_));
    if (newline == std::string::npos) {
      scanned_ = buffer_.size();
      if (!discard_line_ && buffer_.size() - start_ > max_) {  // too long: keep its start, drop up to the newline
        Emit(std::string_view(buffer_).substr(start_, max_), true, out);
        discard_line_ = true;
      }
      if (discard_line_) start_ = scanned_ = buffer_.size();
      return;
    }
    if (!discard_line_) {
      std::string_view line = std::string_view(buffer_).substr(start_, newline - start_);
      const bool too_long = line.size() > max_;
      Emit(too_long ? line.substr(0, max_) : line, too_long, out);
    }
    discard_line_ = false;
    start_ = scanned_ = newline + 1;
  }
}

void FrameSplitter::SplitCounted(std::vector<Frame>& out) {
  while (start_ < buffer_.size()) {
    if (discard_ > 0) {
      size_t n = std::min(discard_, buffer_.size() - start_);
      discard_ -= n;
      start_ += n;
      continue;
    }
    if (buffer_[start_] == '\n' || buffer_[start_] == '\r') {  // some senders end counted frames with a newline too
      ++start_;
      continue;
    }
    size_t space = buffer_.find(' ', start_);
    size_t digits_end = space == std::string::npos ? buffer_.size() : space;
    bool digits = digits_end > start_ && digits_end - start_ <= 9 &&
                  std::all_of(buffer_.begin() + start_, buffer_.begin() + digits_end,
                              [](char c) { return c >= '0' && c <= '9'; });
    if (!digits && (space != std::string::npos || buffer_.size() - start_ > 9)) {
      // Not a length: the sender does not count octets after all; read the rest of the stream as lines.
      mode_ = Mode::kNewline;
      scanned_ = start_;
      return SplitLines(out);
    }
    if (space == std::string::npos) return;  // the length is not all here yet
    size_t length = std::stoul(buffer_.substr(start_, digits_end - start_));
    size_t body = space + 1;
    size_t kept = std::min(length, max_);
    if (buffer_.size() - body < kept) return;  // wait for the whole message (or its first max_ bytes)
    Emit(std::string_view(buffer_).substr(body, kept), length > max_, out);
    start_ = body + kept;
    discard_ = length - kept;
  }
}

void FrameSplitter::Finish(std::vector<Frame>& out) {
  if (start_ < buffer_.size() && !discard_line_ && discard_ == 0) {
    std::string_view rest = std::string_view(buffer_).substr(start_);
    if (mode_ == Mode::kOctetCount) {
      size_t space = rest.find(' ');
      Emit(space == std::string_view::npos ? rest : rest.substr(space + 1), true, out);
    } else {
      Emit(rest.substr(0, std::min(rest.size(), max_)), rest.size() > max_, out);
    }
  }
  buffer_.clear();
  start_ = scanned_ = 0;
}

void FrameSplitter::Compact() {
  if (start_ == 0) return;
  if (start_ >= buffer_.size()) {
    buffer_.clear();
    start_ = scanned_ = 0;
  } else if (start_ > 65536 || start_ > buffer_.size() / 2) {
    buffer_.erase(0, start_);
    scanned_ -= std::min(scanned_, start_);
    start_ = 0;
  }
}

}  // namespace pipeline::syslog
