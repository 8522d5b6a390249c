// Time zones for the date/time functions, with java.time.ZoneId's spellings: IANA region ids read from the
// system tz database (/usr/share/zoneinfo TZif files, including the POSIX rule for years past the table),
// "UTC"/"GMT"/"Z", fixed offsets ("+05:30", "UTC-3", "GMT+2") and Java's SHORT_IDS ("PST", "EST", ...).
// No process-wide TZ state is touched, so zones can be used from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace pipeline {

struct ZoneOffset {
  int32_t seconds = 0;       // local = utc + seconds
  std::string abbreviation;  // "PDT", "BST", "UTC", "+05:30"
  bool dst = false;
};

class TimeZone {
 public:
  // The offset in effect at a UTC instant (seconds since the epoch).
  ZoneOffset OffsetAt(int64_t utc_seconds) const;
  // The UTC instant of a local date-time, resolved like java.time.ZonedDateTime.of: in an overlap the earlier
  // offset wins, in a gap the local time moves forward by the length of the gap.
  int64_t ToUtc(int64_t local_seconds) const;
  const std::string& id() const { return id_; }

  // Implementation data (filled by the loader in time_zone.cpp).
  struct Transition {
    int64_t at;  // UTC seconds
    int type;    // index into types
  };
  struct Rule;  // the POSIX TZ footer for instants after the last transition
  std::string id_;
  std::vector<Transition> transitions_;
  std::vector<ZoneOffset> types_;
  std::shared_ptr<const Rule> rule_;
};

// Looks a zone up by Java ZoneId spelling; loaded zones are cached for the life of the process.
Result<std::shared_ptr<const TimeZone>> FindTimeZone(std::string_view id);
const std::shared_ptr<const TimeZone>& UtcTimeZone();

}  // namespace pipeline
