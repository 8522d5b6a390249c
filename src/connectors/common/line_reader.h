// LineReader: splits a byte stream into lines without copying them. Bytes arrive in big chunks (1 MiB by
// default) into one buffer; lines are string_views into it, valid until the next Fill(). Offsets are positions
// in the underlying file, so a record can say where it came from and a checkpoint where to resume.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace pipeline {

class LineReader {
 public:
  enum class Next {
    kLine,      // `line` is a complete line (without "\n" and a trailing "\r")
    kTooLong,   // `line` is the first max_line_bytes of a longer line; the rest of it will be skipped
    kNeedMore,  // no complete line buffered: Fill() or, at the end of the input, TakeRest()
  };

  explicit LineReader(size_t chunk_bytes = 1 << 20, size_t max_line_bytes = 16 << 20);

  // Forgets buffered bytes; the next Fill() reads from `offset`.
  void Reset(int64_t offset);
  // Reads up to one chunk. positional: pread at the reader's offset (files); otherwise read() (pipes, stdin).
  // Returns the bytes read, 0 at end of input, -1 on error (errno set).
  long Fill(int fd, bool positional);
  Next NextLine(std::string_view& line, int64_t& offset);
  // The unterminated last line, if any (end of a finished input); consumes it.
  bool TakeRest(std::string_view& line, int64_t& offset);

  // File position just after the last line handed out: where to resume.
  int64_t consumed_offset() const { return base_offset_ + static_cast<int64_t>(begin_); }
  // File position of the next byte Fill() reads.
  int64_t read_offset() const { return base_offset_ + static_cast<int64_t>(end_); }
  size_t buffered() const { return end_ - begin_; }

  // The complete lines buffered and not yet handed out (up to and including the last newline); valid until the
  // next Fill().
  std::string_view BufferedLines() const;

  // Bytes of the buffer readable past the end of `line` (a view this reader handed out).
  size_t ReadableAfter(std::string_view line) const {
    return static_cast<size_t>(buf_.data() + buf_.size() - (line.data() + line.size()));
  }

 private:
  void MakeRoom();

  // Bytes kept readable past the data (simdjson's padding): a parser reading ahead of a line's end can then
  // parse it in place, whether it ends the buffer or not.
  static constexpr size_t kPadding = 64;

  size_t chunk_bytes_;
  size_t max_line_bytes_;
  std::vector<char> buf_;
  size_t begin_ = 0;          // first unconsumed byte
  size_t scanned_ = 0;        // bytes from begin_ already searched for '\n'
  size_t end_ = 0;            // end of valid bytes
  int64_t base_offset_ = 0;   // file offset of buf_[0]
  bool discarding_ = false;   // inside an over-long line: drop bytes up to the next '\n'
};

}  // namespace pipeline
