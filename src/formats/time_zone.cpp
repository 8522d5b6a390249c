#include "formats/time_zone.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <sstream>

#include "core/civil_date.h"

namespace pipeline {

namespace {

constexpr const char* kZoneInfoDir = "/usr/share/zoneinfo/";

int64_t YearOf(int64_t utc_seconds) { return CivilFromDays(FloorDiv(utc_seconds, 86400)).year; }

std::string OffsetText(int32_t seconds) {
  if (seconds == 0) return "Z";
  char buf[16];
  int32_t a = std::abs(seconds);
  if (a % 60) std::snprintf(buf, sizeof buf, "%c%02d:%02d:%02d", seconds < 0 ? '-' : '+', a / 3600, a / 60 % 60, a % 60);
  else std::snprintf(buf, sizeof buf, "%c%02d:%02d", seconds < 0 ? '-' : '+', a / 3600, a / 60 % 60);
  return buf;
}

}  // namespace

// ---- POSIX TZ rule ("PST8PDT,M3.2.0,M11.1.0") -------------------------------------------------------------

struct TimeZone::Rule {
  ZoneOffset standard, daylight;
  bool has_dst = false;
  struct When {
    int month = 0, week = 0, weekday = 0;  // Mm.w.d
    int32_t time = 7200;                   // local seconds after midnight
  } start, end;

  // UTC seconds at which the rule's transition happens in `year`, given the offset in effect before it.
  static int64_t TransitionUtc(const When& w, int64_t year, int32_t offset_before) {
    int64_t first = DaysFromCivil(year, static_cast<unsigned>(w.month), 1);
    int first_weekday = static_cast<int>(WeekdayOf(first).c_encoding());  // POSIX counts from Sunday = 0
    int64_t day = first + (w.weekday - first_weekday + 7) % 7 + (w.week - 1) * 7;
    if (w.week == 5) {
      int64_t next_month = w.month == 12 ? DaysFromCivil(year + 1, 1, 1) : DaysFromCivil(year, static_cast<unsigned>(w.month + 1), 1);
      while (day >= next_month) day -= 7;
    }
    return day * 86400 + w.time - offset_before;
  }

  ZoneOffset At(int64_t utc) const {
    if (!has_dst) return standard;
    int64_t year = YearOf(utc + standard.seconds);
    int64_t dst_start = TransitionUtc(start, year, standard.seconds);
    int64_t dst_end = TransitionUtc(end, year, daylight.seconds);
    bool in_dst = dst_start < dst_end ? (utc >= dst_start && utc < dst_end) : !(utc >= dst_end && utc < dst_start);
    return in_dst ? daylight : standard;
  }
};

namespace {

// Parses "<+0330>-3:30" / "EST5" style name+offset; POSIX offsets are west-positive.
bool ParseNameAndOffset(const std::string& s, size_t& i, ZoneOffset& out, bool offset_required) {
  std::string name;
  if (i < s.size() && s[i] == '<') {
    size_t close = s.find('>', i);
    if (close == std::string::npos) return false;
    name = s.substr(i + 1, close - i - 1);
    i = close + 1;
  } else {
    while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) name += s[i++];
  }
  if (name.empty()) return false;
  out.abbreviation = name;
  if (i >= s.size() || (!std::isdigit(static_cast<unsigned char>(s[i])) && s[i] != '+' && s[i] != '-')) return !offset_required;
  int sign = 1;
  if (s[i] == '+' || s[i] == '-') sign = s[i++] == '-' ? -1 : 1;
  int parts[3] = {0, 0, 0};
  for (int k = 0; k < 3; ++k) {
    int v = 0;
    bool any = false;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) {
      v = v * 10 + (s[i++] - '0');
      any = true;
    }
    if (!any) return false;
    parts[k] = v;
    if (i < s.size() && s[i] == ':') ++i;
    else break;
  }
  out.seconds = -sign * (parts[0] * 3600 + parts[1] * 60 + parts[2]);
  return true;
}

bool ParseWhen(const std::string& s, size_t& i, TimeZone::Rule::When& w) {
  if (i >= s.size() || s[i] != 'M') return false;  // Julian-day forms are not used by current tzdata
  if (std::sscanf(s.c_str() + i, "M%d.%d.%d", &w.month, &w.week, &w.weekday) != 3) return false;
  while (i < s.size() && s[i] != ',' && s[i] != '/') ++i;
  if (i < s.size() && s[i] == '/') {
    ++i;
    int sign = 1;
    if (s[i] == '-' || s[i] == '+') sign = s[i++] == '-' ? -1 : 1;
    int h = 0, m = 0, sec = 0;
    std::sscanf(s.c_str() + i, "%d:%d:%d", &h, &m, &sec);
    w.time = sign * (h * 3600 + m * 60 + sec);
    while (i < s.size() && s[i] != ',') ++i;
  }
  return true;
}

std::shared_ptr<const TimeZone::Rule> ParseRule(const std::string& s) {
  auto rule = std::make_shared<TimeZone::Rule>();
  size_t i = 0;
  if (!ParseNameAndOffset(s, i, rule->standard, true)) return nullptr;
  if (i >= s.size()) return rule;
  if (!ParseNameAndOffset(s, i, rule->daylight, false)) return nullptr;
  if (rule->daylight.seconds == 0 && (i >= s.size() || s[i] == ',')) rule->daylight.seconds = rule->standard.seconds + 3600;
  rule->daylight.dst = true;
  if (i >= s.size() || s[i] != ',') return nullptr;
  ++i;
  if (!ParseWhen(s, i, rule->start) || i >= s.size() || s[i] != ',') return nullptr;
  ++i;
  if (!ParseWhen(s, i, rule->end)) return nullptr;
  rule->has_dst = true;
  return rule;
}

// ---- TZif -----------------------------------------------------------------------------------------------

int64_t ReadBigEndian(const std::string& data, size_t pos, int bytes) {
  uint64_t v = 0;
  for (int k = 0; k < bytes; ++k) v = (v << 8) | static_cast<unsigned char>(data[pos + static_cast<size_t>(k)]);
  if (bytes == 4) return static_cast<int32_t>(static_cast<uint32_t>(v));
  return static_cast<int64_t>(v);
}

std::shared_ptr<TimeZone> LoadTzif(const std::string& id) {
  std::ifstream in(kZoneInfoDir + id, std::ios::binary);
  if (!in) return nullptr;
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string data = buffer.str();
  if (data.size() < 44 || data.compare(0, 4, "TZif") != 0) return nullptr;

  auto counts = [&](size_t at, int64_t c[6]) {
    for (int k = 0; k < 6; ++k) c[k] = ReadBigEndian(data, at + 20 + static_cast<size_t>(k) * 4, 4);
  };
  int64_t c[6];  // isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt
  counts(0, c);
  size_t pos = 44;
  int time_size = 4;
  if (data[4] >= '2') {  // skip the 32-bit block, read the 64-bit one
    pos += static_cast<size_t>(c[3] * 4 + c[3] + c[4] * 6 + c[5] + c[2] * 8 + c[1] + c[0]);
    if (data.size() < pos + 44) return nullptr;
    counts(pos, c);
    pos += 44;
    time_size = 8;
  }
  auto tz = std::make_shared<TimeZone>();
  tz->id_ = id;
  size_t times_at = pos, types_at = times_at + static_cast<size_t>(c[3] * time_size);
  size_t info_at = types_at + static_cast<size_t>(c[3]), chars_at = info_at + static_cast<size_t>(c[4] * 6);
  size_t end = chars_at + static_cast<size_t>(c[5]);
  if (data.size() < end) return nullptr;
  for (int64_t k = 0; k < c[4]; ++k) {
    size_t at = info_at + static_cast<size_t>(k * 6);
    ZoneOffset o;
    o.seconds = static_cast<int32_t>(ReadBigEndian(data, at, 4));
    o.dst = data[at + 4] != 0;
    o.abbreviation = std::string(data.c_str() + chars_at + static_cast<unsigned char>(data[at + 5]));
    tz->types_.push_back(o);
  }
  for (int64_t k = 0; k < c[3]; ++k) {
    tz->transitions_.push_back({ReadBigEndian(data, times_at + static_cast<size_t>(k * time_size), time_size),
                                static_cast<unsigned char>(data[types_at + static_cast<size_t>(k)])});
  }
  if (time_size == 8) {
    size_t footer = end + static_cast<size_t>(c[2] * 12 + c[1] + c[0]);
    if (footer < data.size() && data[footer] == '\n') {
      size_t close = data.find('\n', footer + 1);
      if (close != std::string::npos) tz->rule_ = ParseRule(data.substr(footer + 1, close - footer - 1));
    }
  }
  if (tz->types_.empty()) return nullptr;
  return tz;
}

std::shared_ptr<TimeZone> FixedZone(const std::string& id, int32_t seconds, std::string abbreviation) {
  auto tz = std::make_shared<TimeZone>();
  tz->id_ = id;
  tz->types_.push_back({seconds, std::move(abbreviation), false});
  return tz;
}

// "+5", "+05", "+0530", "+05:30", "+05:30:15" (after a sign); nullopt if malformed or beyond +-18:00.
std::optional<int32_t> ParseOffset(std::string_view s) {
  if (s.empty() || (s[0] != '+' && s[0] != '-')) return std::nullopt;
  int sign = s[0] == '-' ? -1 : 1;
  std::string digits;
  for (char ch : s.substr(1))
    if (ch != ':') digits += ch;
  if (digits.empty() || digits.size() > 6 || !std::all_of(digits.begin(), digits.end(), ::isdigit)) return std::nullopt;
  int h = 0, m = 0, sec = 0;
  if (digits.size() <= 2) h = std::stoi(digits);
  else if (digits.size() == 4) h = std::stoi(digits.substr(0, 2)), m = std::stoi(digits.substr(2, 2));
  else if (digits.size() == 6) h = std::stoi(digits.substr(0, 2)), m = std::stoi(digits.substr(2, 2)), sec = std::stoi(digits.substr(4, 2));
  else return std::nullopt;
  if (h > 18 || m > 59 || sec > 59) return std::nullopt;
  return sign * (h * 3600 + m * 60 + sec);
}

// java.time.ZoneId.SHORT_IDS.
const std::map<std::string, std::string>& ShortIds() {
  static const std::map<std::string, std::string> ids = {
      {"ACT", "Australia/Darwin"},   {"AET", "Australia/Sydney"},     {"AGT", "America/Argentina/Buenos_Aires"},
      {"ART", "Africa/Cairo"},       {"AST", "America/Anchorage"},    {"BET", "America/Sao_Paulo"},
      {"BST", "Asia/Dhaka"},         {"CAT", "Africa/Harare"},        {"CNT", "America/St_Johns"},
      {"CST", "America/Chicago"},    {"CTT", "Asia/Shanghai"},        {"EAT", "Africa/Addis_Ababa"},
      {"ECT", "Europe/Paris"},       {"IET", "America/Indiana/Indianapolis"}, {"IST", "Asia/Kolkata"},
      {"JST", "Asia/Tokyo"},         {"MIT", "Pacific/Apia"},         {"NET", "Asia/Yerevan"},
      {"NST", "Pacific/Auckland"},   {"PLT", "Asia/Karachi"},         {"PNT", "America/Phoenix"},
      {"PRT", "America/Puerto_Rico"}, {"PST", "America/Los_Angeles"}, {"SST", "Pacific/Guadalcanal"},
      {"VST", "Asia/Ho_Chi_Minh"},   {"EST", "-05:00"},               {"MST", "-07:00"},
      {"HST", "-10:00"},             {"PDT", "America/Los_Angeles"},  {"EDT", "America/New_York"},
      {"CDT", "America/Chicago"},    {"MDT", "America/Denver"}};
  return ids;
}

bool IsRegionId(std::string_view id) {
  if (id.empty() || id.find("..") != std::string_view::npos || id[0] == '/') return false;
  return std::all_of(id.begin(), id.end(), [](char ch) {
    return std::isalnum(static_cast<unsigned char>(ch)) || ch == '/' || ch == '_' || ch == '-' || ch == '+';
  });
}

std::shared_ptr<TimeZone> Load(const std::string& id) {
  if (id == "Z" || id == "UTC" || id == "GMT" || id == "UT" || id == "Etc/UTC" || id == "Etc/GMT")
    return FixedZone(id, 0, id == "Z" ? "Z" : id.substr(id.rfind('/') + 1));
  if (id[0] == '+' || id[0] == '-') {
    std::optional<int32_t> off = ParseOffset(id);
    return off ? FixedZone(id, *off, OffsetText(*off)) : nullptr;
  }
  for (const char* prefix : {"UTC", "GMT", "UT"}) {
    size_t n = std::char_traits<char>::length(prefix);
    if (id.size() > n && id.compare(0, n, prefix) == 0 && (id[n] == '+' || id[n] == '-')) {
      std::optional<int32_t> off = ParseOffset(std::string_view(id).substr(n));
      return off ? FixedZone(id, *off, std::string(prefix) + OffsetText(*off)) : nullptr;
    }
  }
  if (auto it = ShortIds().find(id); it != ShortIds().end()) {
    std::shared_ptr<TimeZone> tz = Load(it->second);
    if (tz) tz->id_ = it->second;
    return tz;
  }
  if (!IsRegionId(id)) return nullptr;
  return LoadTzif(id);
}

}  // namespace

ZoneOffset TimeZone::OffsetAt(int64_t utc_seconds) const {
  if (transitions_.empty()) return rule_ ? rule_->At(utc_seconds) : types_[0];
  if (utc_seconds < transitions_.front().at) {
    for (const ZoneOffset& t : types_)
      if (!t.dst) return t;
    return types_[0];
  }
  if (utc_seconds >= transitions_.back().at && rule_) return rule_->At(utc_seconds);
  auto it = std::upper_bound(transitions_.begin(), transitions_.end(), utc_seconds,
                             [](int64_t t, const Transition& tr) { return t < tr.at; });
  return types_[static_cast<size_t>(std::prev(it)->type)];
}

int64_t TimeZone::ToUtc(int64_t local_seconds) const {
  int32_t before = OffsetAt(local_seconds - 86400).seconds;
  int32_t after = OffsetAt(local_seconds + 86400).seconds;
  if (OffsetAt(local_seconds - before).seconds == before) return local_seconds - before;  // earlier offset first
  if (OffsetAt(local_seconds - after).seconds == after) return local_seconds - after;
  return local_seconds - before;  // in a gap: shift forward by the gap
}

const std::shared_ptr<const TimeZone>& UtcTimeZone() {
  static const std::shared_ptr<const TimeZone> utc = FixedZone("UTC", 0, "UTC");
  return utc;
}

Result<std::shared_ptr<const TimeZone>> FindTimeZone(std::string_view id) {
  static std::mutex mutex;
  static std::map<std::string, std::shared_ptr<const TimeZone>, std::less<>> cache;
  std::lock_guard<std::mutex> lock(mutex);
  if (auto it = cache.find(id); it != cache.end()) return it->second;
  std::string key(id);
  std::shared_ptr<const TimeZone> tz = key.empty() ? nullptr : Load(key);
  if (!tz) return DataError("Unknown time zone: '" + key + "'");
  cache.emplace(key, tz);
  return tz;
}

}  // namespace pipeline
