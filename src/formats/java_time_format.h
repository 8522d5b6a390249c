// Java date-time patterns, the one implementation for both of Java's pattern languages:
// - java.time.format.DateTimeFormatter ("yyyy-MM-dd'T'HH:mm:ss.SSSX"), as ksqlDB's date/time functions
//   (FORMAT_TIMESTAMP, PARSE_TIMESTAMP, FORMAT_DATE, ...) and TIMESTAMP_FORMAT read them. Letters:
//   G y u Y M L d D E e a h H k K m s S n z Z X x O V, 'quoted text', '' for a quote, [optional sections].
//   Parsing is case-insensitive for names, and missing fields default to 1970-01-01T00:00:00 as in ksqlDB.
// - java.text.SimpleDateFormat ("yyyyMMdd'T'HHmmss.SSSZ"), as Kafka Connect's TimestampConverter and
//   TimestampRouter read them, always in UTC as Connect runs them. Letters: G y Y M L d D E u a H k K h m s S z Z X;
//   here `u` is the day of the week and `S` milliseconds, two-digit years parse into 1970-2069, and abutting
//   numeric fields (yyyyMMdd) take exactly their width.
// A pattern is compiled once; formatting shares one field writer, parsing follows each class's rules.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "formats/time_zone.h"

namespace pipeline {

// A broken-down date-time; epoch-relative values are derived from it.
struct LocalDateTime {
  int64_t year = 1970;
  int month = 1, day = 1;
  int hour = 0, minute = 0, second = 0;
  int64_t nanos = 0;

  static LocalDateTime FromEpochSeconds(int64_t local_seconds, int64_t nanos);
  int64_t EpochDay() const;
  int64_t LocalSeconds() const { return EpochDay() * 86400 + hour * 3600 + minute * 60 + second; }
};

enum class JavaPatternStyle { kDateTimeFormatter, kSimpleDateFormat };

class JavaTimeFormat {
 public:
  // An invalid pattern gives a DataError with ksqlDB's wording (DateTimeFormatter), or a ConfigError that names
  // the pattern (SimpleDateFormat: unsupported letters such as w, W, F, an unterminated quote).
  static Result<std::shared_ptr<const JavaTimeFormat>> Compile(
      std::string_view pattern, JavaPatternStyle style = JavaPatternStyle::kDateTimeFormatter);

  // Formats a local date-time; `zone`/`offset` feed the zone letters (z, Z, X, x, O, V).
  std::string Format(const LocalDateTime& t, const TimeZone& zone, const ZoneOffset& offset) const;

  struct Parsed {
    LocalDateTime local;
    std::optional<int32_t> offset_seconds;          // from X/x/Z/O in the text
    std::shared_ptr<const TimeZone> zone;            // from z/V in the text
  };
  Result<Parsed> Parse(std::string_view text) const;

  // Epoch millis of `text`, read in `default_zone` unless the text names a zone or offset.
  Result<int64_t> ParseEpochMillis(std::string_view text, const TimeZone& default_zone) const;
  std::string FormatEpochMillis(int64_t epoch_millis, const TimeZone& zone) const;

  struct Token {
    enum class Kind { kLiteral, kField, kOptionalStart, kOptionalEnd } kind;
    char letter = 0;
    int count = 0;
    std::string text;
  };

 private:
  Result<Parsed> ParseSimpleDateFormat(std::string_view text) const;

  std::string pattern_;
  JavaPatternStyle style_ = JavaPatternStyle::kDateTimeFormatter;
  std::vector<Token> tokens_;
};

// Compiled formats are cached per thread (patterns are usually literals), so rows do not recompile them.
Result<std::shared_ptr<const JavaTimeFormat>> CachedTimeFormat(const std::string& pattern);
Result<std::shared_ptr<const TimeZone>> CachedTimeZone(const std::string& id);

}  // namespace pipeline
