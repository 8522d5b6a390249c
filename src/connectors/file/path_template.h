// PathTemplate: the file sink's `path`, with placeholders filled from each record:
//   {date} YYYY-MM-DD, {year}, {month}, {day}, {hour}, {minute} (event time, UTC, zero-padded),
//   {topic} (the record's topic, '/' replaced by '_'), {n} (part number, counts up as files roll).
// Everything but {n} selects the partition a record goes to; {n} tells apart the files of one partition.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"

namespace pipeline::file {

class PathTemplate {
 public:
  static Result<PathTemplate> Parse(const std::string& text);

  bool has_part_number() const { return has_part_number_; }
  bool uses_topic() const { return uses_topic_; }
  // Records whose event times fall in the same bucket of this many ms render the same path (0 = time unused).
  int64_t time_bucket_ms() const { return time_bucket_ms_; }

  // The partition: the path with {n} left as is.
  std::string Partition(int64_t event_ms, const std::string& topic) const;
  // The full path of part `n` of a partition.
  static std::string WithPart(const std::string& partition, int64_t n);
  const std::string& text() const { return text_; }

 private:
  enum class Kind { kText, kDate, kYear, kMonth, kDay, kHour, kMinute, kTopic, kPart };
  struct Piece {
    Kind kind;
    std::string text;
  };
  std::string text_;
  std::vector<Piece> pieces_;
  bool has_part_number_ = false;
  bool uses_topic_ = false;
  int64_t time_bucket_ms_ = 0;
};

}  // namespace pipeline::file
