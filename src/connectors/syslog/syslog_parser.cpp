#include "connectors/syslog/syslog_parser.h"

#include <array>
#include <chrono>

namespace pipeline::syslog {
namespace {

constexpr std::array<std::string_view, 24> kFacilities = {
    "kern",   "user",   "mail",     "daemon", "auth",   "syslog",   "lpr",     "news",
    "uucp",   "cron",   "authpriv", "ftp",    "ntp",    "security", "console", "solaris-cron",
    "local0", "local1", "local2",   "local3", "local4", "local5",   "local6",  "local7"};
constexpr std::array<std::string_view, 8> kSeverities = {"emerg",   "alert",  "crit", "err",
                                                         "warning", "notice", "info", "debug"};
constexpr std::string_view kBom = "\xEF\xBB\xBF";

// A read position over the input; every Expect* fails with the offset where the input did not match.
class Cursor {
 public:
  explicit Cursor(std::string_view in) : in_(in) {}
  bool done() const { return pos_ >= in_.size(); }
  size_t pos() const { return pos_; }
  char peek(size_t ahead = 0) const { return pos_ + ahead < in_.size() ? in_[pos_ + ahead] : '\0'; }
  bool Take(char c) {
    if (peek() != c || done()) return false;
    ++pos_;
    return true;
  }
  // Up to `max` decimal digits; -1 when there is none.
  int Digits(size_t min, size_t max) {
    size_t start = pos_;
    int value = 0;
    while (pos_ - start < max && !done() && in_[pos_] >= '0' && in_[pos_] <= '9')
      value = value * 10 + (in_[pos_++] - '0');
    if (pos_ - start < min) {
      pos_ = start;
      return -1;
    }
    return value;
  }
  // Characters up to the next space (or the end).
  std::string_view Token() {
    size_t start = pos_;
    while (!done() && in_[pos_] != ' ') ++pos_;
    return in_.substr(start, pos_ - start);
  }
  std::string_view Rest() {
    std::string_view rest = in_.substr(pos_);
    pos_ = in_.size();
    return rest;
  }
  void Skip(size_t n) { pos_ += n; }
  void Seek(size_t pos) { pos_ = pos; }
  std::string_view input() const { return in_; }

 private:
  std::string_view in_;
  size_t pos_ = 0;
};

struct Failure {
  size_t offset;
  std::string reason;
};

int64_t EpochMs(int year, int month, int day, int hour, int minute, int second, int millis, int offset_seconds) {
  using namespace std::chrono;
  const sys_days date{std::chrono::year{year} / std::chrono::month{static_cast<unsigned>(month)} /
                      std::chrono::day{static_cast<unsigned>(day)}};
  const int64_t seconds =
      date.time_since_epoch().count() * 86400LL + hour * 3600 + minute * 60 + second - offset_seconds;
  return seconds * 1000 + millis;
}

bool ValidDate(int year, int month, int day) {
  return std::chrono::year_month_day{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                     std::chrono::day{static_cast<unsigned>(day)}}
      .ok();
}

// Digits after a '.', as milliseconds (more digits are read and dropped: RFC 5424 allows six).
int FractionMillis(Cursor& c) {
  int millis = 0, digits = 0;
  while (c.peek() >= '0' && c.peek() <= '9' && !c.done()) {
    if (digits < 3) millis = millis * 10 + (c.peek() - '0');
    ++digits;
    c.Skip(1);
  }
  for (; digits < 3; ++digits) millis *= 10;
  return millis;
}

std::optional<Failure> ParsePri(Cursor& c, SyslogMessage& m) {
  if (!c.Take('<')) return Failure{c.pos(), "expected '<' and a priority"};
  int pri = c.Digits(1, 3);
  if (pri < 0 || pri > 191) return Failure{c.pos(), "expected a priority from 0 to 191"};
  if (!c.Take('>')) return Failure{c.pos(), "expected '>' after the priority"};
  m.facility = pri / 8;
  m.severity = pri % 8;
  return std::nullopt;
}

// RFC 3339 as RFC 5424 restricts it: 2003-10-11T22:14:15.003Z or with +hh:mm / -hh:mm.
std::optional<Failure> ParseRfc3339(Cursor& c, SyslogMessage& m) {
  const size_t start = c.pos();
  int year = c.Digits(4, 4);
  int month = c.Take('-') ? c.Digits(2, 2) : -1;
  int day = c.Take('-') ? c.Digits(2, 2) : -1;
  if (year < 0 || month < 1 || day < 1 || !ValidDate(year, month, day))
    return Failure{start, "expected a date YYYY-MM-DD"};
  if (!c.Take('T')) return Failure{c.pos(), "expected 'T' between date and time"};
  int hour = c.Digits(2, 2);
  int minute = c.Take(':') ? c.Digits(2, 2) : -1;
  int second = c.Take(':') ? c.Digits(2, 2) : -1;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60)
    return Failure{start, "expected a time hh:mm:ss"};
  int millis = c.Take('.') ? FractionMillis(c) : 0;
  int offset = 0;
  if (!c.Take('Z')) {
    char sign = c.peek();
    if (sign != '+' && sign != '-') return Failure{c.pos(), "expected 'Z' or a UTC offset (+hh:mm)"};
    c.Skip(1);
    int oh = c.Digits(2, 2);
    int om = c.Take(':') ? c.Digits(2, 2) : -1;
    if (oh < 0 || oh > 23 || om < 0 || om > 59) return Failure{c.pos(), "expected a UTC offset hh:mm"};
    offset = (oh * 3600 + om * 60) * (sign == '-' ? -1 : 1);
  }
  m.timestamp_ms = EpochMs(year, month, day, hour, minute, std::min(second, 59), millis, offset);
  return std::nullopt;
}

// A header field of RFC 5424: "-" is absent.
std::optional<std::string> HeaderField(Cursor& c) {
  std::string_view token = c.Token();
  if (token == "-") return std::nullopt;
  return std::string(token);
}

std::optional<Failure> ParseParamValue(Cursor& c, std::string& value) {
  if (!c.Take('"')) return Failure{c.pos(), "expected '\"' to open a parameter value"};
  while (!c.done()) {
    char ch = c.peek();
    c.Skip(1);
    if (ch == '"') return std::nullopt;
    if (ch == '\\' && (c.peek() == '"' || c.peek() == '\\' || c.peek() == ']') && !c.done()) {
      ch = c.peek();
      c.Skip(1);
    }
    value.push_back(ch);
  }
  return Failure{c.pos(), "unterminated parameter value"};
}

std::string_view SdName(Cursor& c) {
  size_t start = c.pos();
  while (!c.done() && c.peek() != ' ' && c.peek() != '=' && c.peek() != ']' && c.peek() != '"') c.Skip(1);
  return c.input().substr(start, c.pos() - start);
}

std::optional<Failure> ParseStructuredData(Cursor& c, SyslogMessage& m) {
  if (c.Take('-')) return std::nullopt;
  if (c.peek() != '[') return Failure{c.pos(), "expected '-' or '[' to open structured data"};
  while (c.Take('[')) {
    StructuredElement& element = m.structured_data.emplace_back();
    element.id = SdName(c);
    if (element.id.empty()) return Failure{c.pos(), "expected an SD-ID after '['"};
    while (c.Take(' ')) {
      std::string_view name = SdName(c);
      if (name.empty()) return Failure{c.pos(), "expected a parameter name"};
      if (!c.Take('=')) return Failure{c.pos(), "expected '=' after parameter name"};
      auto& param = element.params.emplace_back(std::string(name), std::string());
      if (auto failed = ParseParamValue(c, param.second)) return failed;
    }
    if (!c.Take(']')) return Failure{c.pos(), "expected ']' to close structured data"};
  }
  return std::nullopt;
}

std::string Message(Cursor& c) {
  std::string_view rest = c.Rest();
  if (rest.starts_with(kBom)) rest.remove_prefix(kBom.size());
  return std::string(rest);
}

std::optional<Failure> ParseRfc5424(Cursor& c, SyslogMessage& m) {
  m.rfc5424 = true;
  if (c.Digits(1, 2) != 1) return Failure{c.pos(), "expected version 1 after the priority"};
  if (!c.Take(' ')) return Failure{c.pos(), "expected a space after the version"};
  if (!c.Take('-')) {
    if (auto failed = ParseRfc3339(c, m)) return failed;
  }
  std::optional<std::string>* fields[] = {&m.host, &m.app, &m.procid, &m.msgid};
  for (auto* field : fields) {
    if (!c.Take(' ')) return Failure{c.pos(), "expected a space between header fields"};
    *field = HeaderField(c);
  }
  if (!c.Take(' ')) return Failure{c.pos(), "expected a space before the structured data"};
  if (auto failed = ParseStructuredData(c, m)) return failed;
  if (!c.done() && !c.Take(' ')) return Failure{c.pos(), "expected a space before the message"};
  m.message = Message(c);
  return std::nullopt;
}

int MonthNumber(std::string_view name) {
  static constexpr std::array<std::string_view, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                               "jul", "aug", "sep", "oct", "nov", "dec"};
  if (name.size() != 3) return -1;
  for (size_t i = 0; i < kMonths.size(); ++i) {
    bool same = true;
    for (size_t k = 0; k < 3; ++k) same = same && (name[k] | 0x20) == kMonths[i][k];
    if (same) return static_cast<int>(i) + 1;
  }
  return -1;
}

// [yyyy ]Mmm dd [yyyy ]hh:mm:ss[.fff][:] — rsyslog's accepted variants.
std::optional<Failure> ParseRfc3164Time(Cursor& c, SyslogMessage& m, const ReceptionTime& reception) {
  const size_t start = c.pos();
  int year = 0;
  if (c.peek() >= '0' && c.peek() <= '9') {
    year = c.Digits(4, 4);
    if (year < 1970 || year > 2100 || !c.Take(' ')) return Failure{start, "expected a month name (Jan..Dec)"};
  }
  int month = MonthNumber(c.input().substr(c.pos(), 3));
  if (month < 0) return Failure{c.pos(), "expected a month name (Jan..Dec)"};
  c.Skip(3);
  if (!c.Take(' ')) return Failure{c.pos(), "expected a space after the month"};
  c.Take(' ');  // single-digit days are padded with a space
  int day = c.Digits(1, 2);
  if (day < 1 || !c.Take(' ')) return Failure{c.pos(), "expected a day of the month and a space"};
  int hour = c.Digits(1, 4);
  if (year == 0 && hour > 1970 && hour < 2100) {
    year = hour;
    hour = c.Take(' ') ? c.Digits(1, 2) : -1;
  }
  int minute = c.Take(':') ? c.Digits(1, 2) : -1;
  int second = c.Take(':') ? c.Digits(1, 2) : -1;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60)
    return Failure{c.pos(), "expected a time hh:mm:ss"};
  int millis = c.Take('.') ? FractionMillis(c) : 0;
  c.Take(':');
  if (year == 0) year = reception.year;
  if (!ValidDate(year, month, day)) return Failure{start, "no such date"};
  m.timestamp_ms = EpochMs(year, month, day, hour, minute, std::min(second, 59), millis, reception.utc_offset_seconds);
  if (!c.done() && !c.Take(' ')) return Failure{c.pos(), "expected a space after the time"};
  return std::nullopt;
}

// TAG[PID]: — the tag ends at '[', ':' or a space; no tag when the first token does not end in ':' or ']:'.
void ParseTag(Cursor& c, SyslogMessage& m) {
  const size_t start = c.pos();
  std::string_view token = c.Token();
  size_t bracket = token.find('[');
  if (bracket != std::string_view::npos && bracket > 0 && (token.ends_with("]:") || token.ends_with("]"))) {
    size_t close = token.rfind(']');
    m.app = std::string(token.substr(0, bracket));
    m.procid = std::string(token.substr(bracket + 1, close - bracket - 1));
  } else if (token.size() > 1 && token.ends_with(':')) {
    m.app = std::string(token.substr(0, token.size() - 1));
  } else {
    c.Seek(start);  // no tag: everything is the message
    return;
  }
  c.Take(' ');
}

std::optional<Failure> ParseRfc3164(Cursor& c, SyslogMessage& m, const ReceptionTime& reception) {
  if (auto failed = ParseRfc3164Time(c, m, reception)) return failed;
  // A hostname unless the token already is the tag ("su:", "sshd[42]:").
  const size_t before_host = c.pos();
  std::string_view host = c.Token();
  if (!host.empty() && !host.ends_with(':') && host.find('[') == std::string_view::npos) {
    m.host = std::string(host);
    c.Take(' ');
  } else {
    c.Seek(before_host);
  }
  ParseTag(c, m);
  m.message = Message(c);
  return std::nullopt;
}

}  // namespace

std::string SyslogParseError::ToString() const { return "byte " + std::to_string(offset) + ": " + reason; }

std::string_view FacilityName(int facility) {
  return facility >= 0 && facility < static_cast<int>(kFacilities.size()) ? kFacilities[facility] : "";
}

std::string_view SeverityName(int severity) {
  return severity >= 0 && severity < static_cast<int>(kSeverities.size()) ? kSeverities[severity] : "";
}

SyslogParse ParseSyslog(std::string_view input, SyslogFormat format, const ReceptionTime& reception) {
  while (!input.empty() && (input.back() == '\n' || input.back() == '\r' || input.back() == '\0'))
    input.remove_suffix(1);
  SyslogParse out;
  SyslogMessage m;
  Cursor c(input);
  std::optional<Failure> failed = ParsePri(c, m);
  if (!failed) {
    const bool rfc5424 =
        format == SyslogFormat::kRfc5424 || (format == SyslogFormat::kAuto && c.peek() == '1' && c.peek(1) == ' ');
    failed = rfc5424 ? ParseRfc5424(c, m) : ParseRfc3164(c, m, reception);
  }
  if (failed) {
    out.error = {failed->offset, std::move(failed->reason)};
    return out;
  }
  out.message = std::move(m);
  return out;
}

}  // namespace pipeline::syslog
