// java.time.format.DateTimeFormatter patterns ("yyyy-MM-dd'T'HH:mm:ss.SSSX"), compiled once and used to format
// and parse dates, times and timestamps the way ksqlDB's date/time functions do. Supported letters:
// G y u Y M L d D E e a h H k K m s S n z Z X x O V, 'quoted text', '' for a quote, [optional sections].
// Parsing is case-insensitive for names, and missing fields default to 1970-01-01T00:00:00 as in ksqlDB.
// The timestamp format of a source (WITH timestamp_format=...) can use the same class.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "sql/functions/scalar/time_zone.h"

namespace pipeline::sql::scalar {

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

class JavaTimeFormat {
 public:
  // ConfigError-like DataError with ksqlDB's wording when the pattern is invalid.
  static Result<std::shared_ptr<const JavaTimeFormat>> Compile(std::string_view pattern);

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
  std::string pattern_;
  std::vector<Token> tokens_;
};

// Compiled formats are cached per thread (patterns are usually literals), so rows do not recompile them.
Result<std::shared_ptr<const JavaTimeFormat>> CachedTimeFormat(const std::string& pattern);
Result<std::shared_ptr<const TimeZone>> CachedTimeZone(const std::string& id);

}  // namespace pipeline::sql::scalar
