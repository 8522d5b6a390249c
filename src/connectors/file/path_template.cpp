#include "connectors/file/path_template.h"

#include <chrono>
#include <cstdio>

namespace pipeline::file {

namespace {
constexpr int64_t kMinuteMs = 60000;
constexpr int64_t kHourMs = 60 * kMinuteMs;
constexpr int64_t kDayMs = 24 * kHourMs;
}  // namespace

Result<PathTemplate> PathTemplate::Parse(const std::string& text) {
  PathTemplate t;
  t.text_ = text;
  size_t i = 0;
  while (i < text.size()) {
    size_t open = text.find('{', i);
    if (open == std::string::npos) {
      t.pieces_.push_back({Kind::kText, text.substr(i)});
      break;
    }
    if (open > i) t.pieces_.push_back({Kind::kText, text.substr(i, open - i)});
    size_t close = text.find('}', open);
    if (close == std::string::npos) return ConfigError("unclosed '{' in path template '" + text + "'");
    std::string name = text.substr(open + 1, close - open - 1);
    Kind kind;
    int64_t bucket = 0;
    if (name == "date") kind = Kind::kDate, bucket = kDayMs;
    else if (name == "year") kind = Kind::kYear, bucket = kDayMs;
    else if (name == "month") kind = Kind::kMonth, bucket = kDayMs;
    else if (name == "day") kind = Kind::kDay, bucket = kDayMs;
    else if (name == "hour") kind = Kind::kHour, bucket = kHourMs;
    else if (name == "minute") kind = Kind::kMinute, bucket = kMinuteMs;
    else if (name == "topic") kind = Kind::kTopic, t.uses_topic_ = true;
    else if (name == "n") kind = Kind::kPart, t.has_part_number_ = true;
    else
      return ConfigError("unknown placeholder {" + name + "} in path template '" + text +
                         "' (date, year, month, day, hour, minute, topic, n)");
    if (bucket && (t.time_bucket_ms_ == 0 || bucket < t.time_bucket_ms_)) t.time_bucket_ms_ = bucket;
    t.pieces_.push_back({kind, kind == Kind::kPart ? "{n}" : ""});
    i = close + 1;
  }
  return t;
}

std::string PathTemplate::Partition(int64_t event_ms, const std::string& topic) const {
  using namespace std::chrono;
  std::string out;
  out.reserve(text_.size() + 16);
  year_month_day ymd{};
  int hour = 0, minute = 0;
  if (time_bucket_ms_) {
    sys_time<milliseconds> t{milliseconds{event_ms}};
    auto day = floor<days>(t);
    ymd = year_month_day{day};
    hh_mm_ss<milliseconds> tod{t - day};
    hour = static_cast<int>(tod.hours().count());
    minute = static_cast<int>(tod.minutes().count());
  }
  char buf[16];
  for (const auto& p : pieces_) {
    switch (p.kind) {
      case Kind::kText: out += p.text; break;
      case Kind::kPart: out += p.text; break;
      case Kind::kTopic:
        for (char c : topic) out.push_back(c == '/' ? '_' : c);
        break;
      case Kind::kDate:
        std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                      static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
        out += buf;
        break;
      case Kind::kYear: out += std::to_string(static_cast<int>(ymd.year())); break;
      case Kind::kMonth:
        std::snprintf(buf, sizeof buf, "%02u", static_cast<unsigned>(ymd.month()));
        out += buf;
        break;
      case Kind::kDay:
        std::snprintf(buf, sizeof buf, "%02u", static_cast<unsigned>(ymd.day()));
        out += buf;
        break;
      case Kind::kHour:
        std::snprintf(buf, sizeof buf, "%02d", hour);
        out += buf;
        break;
      case Kind::kMinute:
        std::snprintf(buf, sizeof buf, "%02d", minute);
        out += buf;
        break;
    }
  }
  return out;
}

std::string PathTemplate::WithPart(const std::string& partition, int64_t n) {
  std::string out = partition;
  const std::string number = std::to_string(n);
  for (size_t pos = out.find("{n}"); pos != std::string::npos; pos = out.find("{n}", pos + number.size()))
    out.replace(pos, 3, number);
  return out;
}

}  // namespace pipeline::file
