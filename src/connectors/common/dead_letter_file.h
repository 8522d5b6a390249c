// DeadLetterFile: where the line-reading sources (file, stdin, syslog) put input they could not decode with
// `on_error: dead_letter`: a dead-letter envelope (plugin/dead_letter.h) with stage "decode", the line in
// raw_base64 and its position (the source's lane @ byte offset), through the one dead-letter writer. Sync() makes
// the letters durable; the sources call it before they commit a position past them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "plugin/dead_letter.h"

namespace pipeline {

class DeadLetterFile {
 public:
  // `component`: the source's name, which is also the topic of its records.
  Status Open(const std::string& path, std::string component = "");
  // `at`: the line's position in its source (the file's lane, or stdin's); `error` says where and what.
  Status Append(const Position& at, std::string_view error, std::string_view raw);
  Status Sync() { return queue_ ? queue_->Sync() : Status(); }
  void Close();
  int64_t count() const { return count_; }

 private:
  std::shared_ptr<DeadLetterQueue> queue_;
  std::string component_;
  int64_t count_ = 0;
};

}  // namespace pipeline
