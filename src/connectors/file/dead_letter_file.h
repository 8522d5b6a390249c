// DeadLetterFile: where `on_error: dead_letter` puts input it could not decode, one JSON object per line:
//   {"file": "...", "offset": 1234, "error": "...", "raw": "<the line>"}
// (`raw_base64` instead of `raw` when the line is not valid UTF-8, so the bytes survive exactly).
// Appends go straight to the file; Sync() makes them durable before the source checkpoints past them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace pipeline::file {

class DeadLetterFile {
 public:
  DeadLetterFile() = default;
  ~DeadLetterFile();
  DeadLetterFile(const DeadLetterFile&) = delete;
  DeadLetterFile& operator=(const DeadLetterFile&) = delete;

  Status Open(const std::string& path);
  Status Append(std::string_view input, int64_t offset, std::string_view error, std::string_view raw);
  Status Sync();
  void Close();
  int64_t count() const { return count_; }

 private:
  std::string path_;
  int fd_ = -1;
  bool dirty_ = false;
  int64_t count_ = 0;
};

// The JSON line DeadLetterFile writes (without the newline); exposed for tests.
std::string DeadLetterLine(std::string_view input, int64_t offset, std::string_view error, std::string_view raw);

}  // namespace pipeline::file
