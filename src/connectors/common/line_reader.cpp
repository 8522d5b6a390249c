#include "connectors/common/line_reader.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace pipeline {

LineReader::LineReader(size_t chunk_bytes, size_t max_line_bytes)
    : chunk_bytes_(chunk_bytes), max_line_bytes_(max_line_bytes) {}

void LineReader::Reset(int64_t offset) {
  begin_ = scanned_ = end_ = 0;
  base_offset_ = offset;
  discarding_ = false;
}

void LineReader::MakeRoom() {
  // Move the unconsumed tail to the front once it is cheaper than growing: at most one partial line is copied
  // per chunk, so splitting stays copy-free for everything else.
  if (begin_ > 0 && (begin_ >= buf_.size() / 2 || end_ + chunk_bytes_ > buf_.size())) {
    std::memmove(buf_.data(), buf_.data() + begin_, end_ - begin_);
    base_offset_ += static_cast<int64_t>(begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (buf_.size() < end_ + chunk_bytes_ + kPadding) buf_.resize(end_ + chunk_bytes_ + kPadding);
}

std::string_view LineReader::BufferedLines() const {
  if (discarding_ || begin_ == end_) return {};
  const char* start = buf_.data() + begin_;
  const void* last_nl = ::memrchr(start, '\n', end_ - begin_);
  if (!last_nl) return {};
  return std::string_view(start, static_cast<size_t>(static_cast<const char*>(last_nl) - start) + 1);
}

long LineReader::Fill(int fd, bool positional) {
  MakeRoom();
  for (;;) {
    ssize_t n = positional ? ::pread(fd, buf_.data() + end_, chunk_bytes_, read_offset())
                           : ::read(fd, buf_.data() + end_, chunk_bytes_);
    if (n < 0 && errno == EINTR) continue;
    if (n > 0) end_ += static_cast<size_t>(n);
    return static_cast<long>(n);
  }
}

LineReader::Next LineReader::NextLine(std::string_view& line, int64_t& offset) {
  if (buf_.empty()) return Next::kNeedMore;
  for (;;) {
    const char* start = buf_.data() + begin_;
    const char* from = start + scanned_;
    const char* nl = static_cast<const char*>(std::memchr(from, '\n', end_ - begin_ - scanned_));
    if (discarding_) {
      if (!nl) {  // keep discarding everything buffered
        begin_ = end_;
        scanned_ = 0;
        return Next::kNeedMore;
      }
      begin_ += static_cast<size_t>(nl - start) + 1;
      scanned_ = 0;
      discarding_ = false;
      continue;
    }
    if (!nl) {
      scanned_ = end_ - begin_;
      if (scanned_ >= max_line_bytes_) {
        line = std::string_view(start, max_line_bytes_);
        offset = consumed_offset();
        begin_ = end_;  // the prefix handed out stays valid until the next Fill()
        scanned_ = 0;
        discarding_ = true;
        return Next::kTooLong;
      }
      return Next::kNeedMore;
    }
    size_t len = static_cast<size_t>(nl - start);
    line = std::string_view(start, len);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    offset = consumed_offset();
    begin_ += len + 1;
    scanned_ = 0;
    if (len <= max_line_bytes_) return Next::kLine;
    line = line.substr(0, max_line_bytes_);
    return Next::kTooLong;
  }
}

bool LineReader::TakeRest(std::string_view& line, int64_t& offset) {
  if (discarding_ || begin_ == end_) {
    begin_ = end_;
    discarding_ = false;
    return false;
  }
  line = std::string_view(buf_.data() + begin_, end_ - begin_);
  if (line.back() == '\r') line.remove_suffix(1);
  offset = consumed_offset();
  begin_ = end_;
  scanned_ = 0;
  return true;
}

}  // namespace pipeline
