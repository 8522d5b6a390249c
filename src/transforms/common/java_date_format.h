// JavaDateFormat: formats and parses UTC timestamps with a Java SimpleDateFormat pattern ("yyyy-MM-dd HH:mm:ss",
// "yyyyMMdd'T'HHmmss.SSSZ"), so Kafka Connect configs for TimestampConverter and TimestampRouter work unchanged.
// Kafka Connect runs these formats in UTC; so does pipe. The pattern is compiled once into tokens.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace pipeline {

class JavaDateFormat {
 public:
  // Supported letters: G y Y M L d D E u a H k K h m s S z Z X, quoted 'text' and '' for a quote. Others
  // (w, W, F) give a ConfigError.
  static Result<JavaDateFormat> Compile(std::string_view pattern);

  // Appends the text of `epoch_millis` (UTC).
  void Format(int64_t epoch_millis, std::string& out) const;
  std::string Format(int64_t epoch_millis) const;
  // Parses text that follows the pattern; a DataError says where it stopped matching.
  Result<int64_t> Parse(std::string_view text) const;

  const std::string& pattern() const { return pattern_; }

 private:
  struct Token {
    char letter = 0;  // 0 = literal text
    int count = 0;
    std::string literal;
  };
  std::string pattern_;
  std::vector<Token> tokens_;
};

}  // namespace pipeline
