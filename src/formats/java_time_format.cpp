#include "formats/java_time_format.h"

#include <strings.h>

#include <cctype>
#include <cstdio>
#include <unordered_map>

#include "core/civil_date.h"

namespace pipeline {

namespace {

using Token = JavaTimeFormat::Token;

constexpr const char* kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                                   "July",    "August",   "September", "October", "November", "December"};
constexpr const char* kDays[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

std::string Padded(int64_t v, int width) {
  std::string digits = std::to_string(v < 0 ? -v : v);
  if (static_cast<int>(digits.size()) < width) digits.insert(0, static_cast<size_t>(width) - digits.size(), '0');
  return v < 0 ? "-" + digits : digits;
}

// "+HH", "+HHMM", "+HH:MM" (with seconds when present); "" for zero when `zero_text` is used by the caller.
std::string OffsetString(int32_t seconds, bool colon, bool always_minutes) {
  int32_t a = seconds < 0 ? -seconds : seconds;
  std::string out = seconds < 0 ? "-" : "+";
  out += Padded(a / 3600, 2);
  if (always_minutes || a % 3600) {
    if (colon) out += ':';
    out += Padded(a / 60 % 60, 2);
  }
  if (a % 60) {
    if (colon) out += ':';
    out += Padded(a % 60, 2);
  }
  return out;
}

std::string GmtOffset(int32_t seconds, bool long_form) {
  if (seconds == 0) return "GMT";
  int32_t a = seconds < 0 ? -seconds : seconds;
  std::string out = std::string("GMT") + (seconds < 0 ? "-" : "+");
  out += long_form ? Padded(a / 3600, 2) : std::to_string(a / 3600);
  if (long_form || a % 3600) out += ":" + Padded(a / 60 % 60, 2);
  return out;
}

bool IsNumericField(char letter) { return std::string_view("yuYMLdDhHkKmsSnA").find(letter) != std::string_view::npos; }

// Width a numeric token reserves when a variable-width field precedes it (Java's adjacent value parsing).
int FixedWidth(const Token& t) {
  if (t.kind != Token::Kind::kField || !IsNumericField(t.letter)) return 0;
  if ((t.letter == 'M' || t.letter == 'L') && t.count >= 3) return 0;
  if (t.letter == 'y' || t.letter == 'u' || t.letter == 'Y') return t.count == 2 ? 2 : 0;
  return t.count >= 2 || t.letter == 'S' ? t.count : 0;
}

// ---- parsing state -----------------------------------------------------------------------------------------

struct ParseState {
  std::string_view text;
  size_t pos = 0;
  std::optional<int64_t> year, day_of_year;
  std::optional<int> month, day, hour_of_day, hour_of_ampm, clock_hour_ampm, minute, second;
  std::optional<int> ampm;  // 0 AM, 1 PM
  std::optional<int64_t> nanos;
  std::optional<int32_t> offset;
  std::shared_ptr<const TimeZone> zone;
  bool bc = false;
};

bool MatchText(ParseState& s, std::string_view word) {
  if (s.text.size() - s.pos < word.size()) return false;
  if (strncasecmp(s.text.data() + s.pos, word.data(), word.size()) != 0) return false;
  s.pos += word.size();
  return true;
}

// Reads between min and max digits; false if fewer than min are present.
bool ReadNumber(ParseState& s, int min_digits, int max_digits, int64_t& out, bool allow_sign = false) {
  size_t start = s.pos;
  bool negative = false;
  if (allow_sign && s.pos < s.text.size() && (s.text[s.pos] == '-' || s.text[s.pos] == '+')) negative = s.text[s.pos++] == '-';
  size_t digits_start = s.pos;
  int64_t v = 0;
  while (s.pos < s.text.size() && static_cast<int>(s.pos - digits_start) < max_digits &&
         std::isdigit(static_cast<unsigned char>(s.text[s.pos])))
    v = v * 10 + (s.text[s.pos++] - '0');
  if (static_cast<int>(s.pos - digits_start) < min_digits) {
    s.pos = start;
    return false;
  }
  out = negative ? -v : v;
  return true;
}

// Offsets: "+HH", "+HHMM", "+HH:MM", optional seconds; `z_allowed` accepts "Z" for zero.
bool ReadOffset(ParseState& s, bool z_allowed, bool gmt_prefix) {
  if (gmt_prefix) {
    if (!MatchText(s, "GMT") && !MatchText(s, "UTC")) return false;
    if (s.pos >= s.text.size() || (s.text[s.pos] != '+' && s.text[s.pos] != '-')) {
      s.offset = 0;
      return true;
    }
  }
  if (z_allowed && s.pos < s.text.size() && (s.text[s.pos] == 'Z' || s.text[s.pos] == 'z')) {
    ++s.pos;
    s.offset = 0;
    return true;
  }
  if (s.pos >= s.text.size() || (s.text[s.pos] != '+' && s.text[s.pos] != '-')) return false;
  int sign = s.text[s.pos++] == '-' ? -1 : 1;
  int64_t h = 0, m = 0, sec = 0;
  if (!ReadNumber(s, 1, 2, h)) return false;
  if (s.pos < s.text.size() && s.text[s.pos] == ':') ++s.pos;
  size_t before = s.pos;
  if (!ReadNumber(s, 2, 2, m)) s.pos = before;
  if (s.pos < s.text.size() && s.text[s.pos] == ':') ++s.pos;
  before = s.pos;
  if (!ReadNumber(s, 2, 2, sec)) s.pos = before;
  s.offset = static_cast<int32_t>(sign * (h * 3600 + m * 60 + sec));
  return true;
}

// Zone names in text: region ids, UTC/GMT, and the common abbreviations Java's parser knows.
bool ReadZoneName(ParseState& s) {
  size_t start = s.pos;
  while (s.pos < s.text.size() && (std::isalnum(static_cast<unsigned char>(s.text[s.pos])) || s.text[s.pos] == '/' ||
                                   s.text[s.pos] == '_' || s.text[s.pos] == '+' || s.text[s.pos] == '-' || s.text[s.pos] == ':'))
    ++s.pos;
  std::string name(s.text.substr(start, s.pos - start));
  static const std::unordered_map<std::string, std::string> kAbbreviations = {
      {"PST", "America/Los_Angeles"}, {"PDT", "America/Los_Angeles"}, {"MST", "America/Denver"},
      {"MDT", "America/Denver"},      {"CST", "America/Chicago"},     {"CDT", "America/Chicago"},
      {"EST", "America/New_York"},    {"EDT", "America/New_York"},    {"BST", "Europe/London"},
      {"CET", "Europe/Paris"},        {"CEST", "Europe/Paris"},       {"EET", "Europe/Athens"},
      {"EEST", "Europe/Athens"},      {"JST", "Asia/Tokyo"},          {"IST", "Asia/Kolkata"}};
  auto it = kAbbreviations.find(name);
  Result<std::shared_ptr<const TimeZone>> tz = FindTimeZone(it != kAbbreviations.end() ? it->second : name);
  if (!tz.ok()) {
    s.pos = start;
    return false;
  }
  s.zone = *tz;
  return true;
}

bool ParseField(ParseState& s, const Token& t, int reserve) {
  int64_t v = 0;
  auto numeric = [&](int min_fixed, int max_variable) {
    if (t.count >= 2) return ReadNumber(s, t.count, t.count, v);
    return ReadNumber(s, min_fixed, max_variable, v);
  };
  switch (t.letter) {
    case 'G':
      if (MatchText(s, "AD")) return true;
      if (MatchText(s, "BC")) return s.bc = true;
      return false;
    case 'y':
    case 'u':
    case 'Y': {
      if (t.count == 2) {
        if (!ReadNumber(s, 2, 2, v)) return false;
        s.year = 2000 + v;
        return true;
      }
      size_t digits = 0;
      while (s.pos + digits < s.text.size() && std::isdigit(static_cast<unsigned char>(s.text[s.pos + digits]))) ++digits;
      int max = std::max(t.count, static_cast<int>(digits) - reserve);
      if (!ReadNumber(s, t.count == 1 ? 1 : t.count, std::min(max, 10), v, true)) return false;
      s.year = v;
      return true;
    }
    case 'M':
    case 'L':
      if (t.count >= 3) {
        for (int m = 0; m < 12; ++m) {
          std::string_view full = kMonths[m];
          if ((t.count == 4 && MatchText(s, full)) || (t.count == 3 && MatchText(s, full.substr(0, 3))) ||
              (t.count == 5 && MatchText(s, full.substr(0, 1)))) {
            s.month = m + 1;
            return true;
          }
        }
        return false;
      }
      if (!numeric(1, 2)) return false;
      s.month = static_cast<int>(v);
      return true;
    case 'd':
      if (!numeric(1, 2)) return false;
      s.day = static_cast<int>(v);
      return true;
    case 'D':
      if (!ReadNumber(s, t.count, 3, v)) return false;
      s.day_of_year = v;
      return true;
    case 'E':
    case 'e':
    case 'c':
      for (std::string_view day : kDays)
        if ((t.count >= 4 && MatchText(s, day)) || (t.count < 4 && MatchText(s, day.substr(0, 3)))) return true;
      return false;
    case 'a':
      if (MatchText(s, "AM")) return s.ampm = 0, true;
      if (MatchText(s, "PM")) return s.ampm = 1, true;
      return false;
    case 'H':
      if (!numeric(1, 2)) return false;
      s.hour_of_day = static_cast<int>(v);
      return true;
    case 'k':
      if (!numeric(1, 2)) return false;
      s.hour_of_day = static_cast<int>(v % 24);
      return true;
    case 'h':
      if (!numeric(1, 2)) return false;
      s.clock_hour_ampm = static_cast<int>(v);
      return true;
    case 'K':
      if (!numeric(1, 2)) return false;
      s.hour_of_ampm = static_cast<int>(v);
      return true;
    case 'm':
      if (!numeric(1, 2)) return false;
      s.minute = static_cast<int>(v);
      return true;
    case 's':
      if (!numeric(1, 2)) return false;
      s.second = static_cast<int>(v);
      return true;
    case 'S': {
      if (!ReadNumber(s, t.count, t.count, v)) return false;
      for (int k = t.count; k < 9; ++k) v *= 10;
      s.nanos = v;
      return true;
    }
    case 'n':
      if (!ReadNumber(s, 1, 9, v)) return false;
      s.nanos = v;
      return true;
    case 'X': return ReadOffset(s, true, false);
    case 'x': return ReadOffset(s, false, false);
    case 'Z': return t.count == 4 ? ReadOffset(s, false, true) : ReadOffset(s, t.count == 5, false);
    case 'O': return ReadOffset(s, false, true);
    case 'z':
    case 'V': return ReadZoneName(s);
    default: return false;
  }
}

bool ParseTokens(ParseState& s, const std::vector<Token>& tokens, size_t& i, bool optional) {
  for (; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    switch (t.kind) {
      case Token::Kind::kLiteral:
        if (!MatchText(s, t.text)) return false;
        break;
      case Token::Kind::kOptionalStart: {
        ParseState saved = s;
        size_t j = i + 1;
        if (!ParseTokens(s, tokens, j, true)) s = saved;
        // skip to the matching end
        int depth = 0;
        for (++i; i < tokens.size(); ++i) {
          if (tokens[i].kind == Token::Kind::kOptionalStart) ++depth;
          if (tokens[i].kind == Token::Kind::kOptionalEnd && depth-- == 0) break;
        }
        break;
      }
      case Token::Kind::kOptionalEnd:
        if (optional) return true;
        break;
      case Token::Kind::kField: {
        int reserve = 0;
        for (size_t k = i + 1; k < tokens.size() && FixedWidth(tokens[k]) > 0; ++k) reserve += FixedWidth(tokens[k]);
        if (!ParseField(s, t, reserve)) return false;
        break;
      }
    }
  }
  return true;
}

// ---- SimpleDateFormat -------------------------------------------------------------------------------------

// Letters SimpleDateFormat knows and this supports; L is read as M and Y as y, as Connect's formats do in UTC.
constexpr std::string_view kSimpleLetters = "GyYMLdDEuaHkKhmsSzZX";

Status CompileSimpleDateFormat(std::string_view pattern, std::vector<Token>& tokens) {
  auto literal = [&](char c) {
    if (tokens.empty() || tokens.back().kind != Token::Kind::kLiteral) tokens.push_back({Token::Kind::kLiteral});
    tokens.back().text += c;
  };
  auto error = [&](const std::string& what) { return ConfigError("date format \"" + std::string(pattern) + "\": " + what); };
  size_t i = 0;
  while (i < pattern.size()) {
    char c = pattern[i];
    if (c == '\'') {
      if (i + 1 < pattern.size() && pattern[i + 1] == '\'') {
        literal('\'');
        i += 2;
        continue;
      }
      size_t close = i + 1;
      while (close < pattern.size()) {
        if (pattern[close] == '\'' && close + 1 < pattern.size() && pattern[close + 1] == '\'') {
          literal('\'');
          close += 2;
          continue;
        }
        if (pattern[close] == '\'') break;
        literal(pattern[close++]);
      }
      if (close >= pattern.size()) return error("unterminated quote");
      i = close + 1;
    } else if (std::isalpha(static_cast<unsigned char>(c))) {
      if (kSimpleLetters.find(c) == std::string_view::npos)
        return error("pattern letter '" + std::string(1, c) + "' is not supported (quote literal text as 'text')");
      size_t start = i;
      while (i < pattern.size() && pattern[i] == c) ++i;
      tokens.push_back({Token::Kind::kField, c == 'L' ? 'M' : (c == 'Y' ? 'y' : c), static_cast<int>(i - start), ""});
    } else {
      literal(c);
      ++i;
    }
  }
  return Status::Ok();
}

// Milliseconds beyond this would overflow as nanoseconds (SimpleDateFormat reads every digit of S).
constexpr int64_t kMaxMillisField = 9'000'000'000'000;

bool IsSimpleNumericLetter(char c) { return std::string_view("yYdDuHkKhmsS").find(c) != std::string_view::npos; }

// One of `names` (full, else its first three letters) case-insensitively at `pos`; its index, or -1.
int MatchSimpleName(std::string_view text, size_t& pos, const char* const* names, int count) {
  for (bool full : {true, false}) {
    for (int i = 0; i < count; ++i) {
      std::string_view name = names[i];
      if (!full) name = name.substr(0, 3);
      if (text.size() - pos < name.size() || strncasecmp(text.data() + pos, name.data(), name.size()) != 0) continue;
      pos += name.size();
      return i;
    }
  }
  return -1;
}

// ---- cached lookups ---------------------------------------------------------------------------------------

template <class T, class F>
Result<std::shared_ptr<const T>> CachedPerThread(const std::string& key, F make) {
  thread_local std::unordered_map<std::string, std::shared_ptr<const T>> cache;
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  Result<std::shared_ptr<const T>> made = make(key);
  if (!made.ok()) return made;
  if (cache.size() >= 256) cache.clear();
  cache.emplace(key, *made);
  return made;
}

}  // namespace

LocalDateTime LocalDateTime::FromEpochSeconds(int64_t local_seconds, int64_t nanos) {
  LocalDateTime t;
  int64_t days = FloorDiv(local_seconds, 86400);
  int64_t secs = local_seconds - days * 86400;
  CivilDate date = CivilFromDays(days);
  t.year = date.year;
  t.month = static_cast<int>(date.month);
  t.day = static_cast<int>(date.day);
  t.hour = static_cast<int>(secs / 3600);
  t.minute = static_cast<int>(secs / 60 % 60);
  t.second = static_cast<int>(secs % 60);
  t.nanos = nanos;
  return t;
}

int64_t LocalDateTime::EpochDay() const {
  return DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
}

Result<std::shared_ptr<const JavaTimeFormat>> JavaTimeFormat::Compile(std::string_view pattern,
                                                                      JavaPatternStyle style) {
  auto f = std::make_shared<JavaTimeFormat>();
  f->pattern_ = pattern;
  f->style_ = style;
  if (style == JavaPatternStyle::kSimpleDateFormat) {
    if (Status compiled = CompileSimpleDateFormat(pattern, f->tokens_); !compiled.ok()) return compiled.error();
    return std::shared_ptr<const JavaTimeFormat>(std::move(f));
  }
  int depth = 0;
  for (size_t i = 0; i < pattern.size();) {
    char c = pattern[i];
    if (c == '\'') {
      size_t j = i + 1;
      std::string lit;
      while (true) {
        if (j >= pattern.size()) return DataError("Pattern ends with an incomplete string literal: " + f->pattern_);
        if (pattern[j] == '\'') {
          if (j + 1 < pattern.size() && pattern[j + 1] == '\'') {
            lit += '\'';
            j += 2;
            continue;
          }
          break;
        }
        lit += pattern[j++];
      }
      if (j == i + 1) lit = "'";  // '' is a single quote
      f->tokens_.push_back({Token::Kind::kLiteral, 0, 0, lit});
      i = j + 1;
    } else if (c == '[') {
      ++depth;
      f->tokens_.push_back({Token::Kind::kOptionalStart});
      ++i;
    } else if (c == ']') {
      if (depth-- == 0) return DataError("Pattern invalid as it contains ] without previous [: " + f->pattern_);
      f->tokens_.push_back({Token::Kind::kOptionalEnd});
      ++i;
    } else if (std::isalpha(static_cast<unsigned char>(c))) {
      size_t j = i;
      while (j < pattern.size() && pattern[j] == c) ++j;
      int count = static_cast<int>(j - i);
      if (std::string_view("GuyYMLdDEecahHkKmsSnzZXxOV").find(c) == std::string_view::npos)
        return DataError(std::string("Unknown pattern letter: ") + c);
      if ((c == 'V' && count != 2) || (count > 5 && c != 'S' && c != 'y' && c != 'u' && c != 'n') ||
          (std::string_view("dhHkKms").find(c) != std::string_view::npos && count > 2))
        return DataError(std::string("Too many pattern letters: ") + c);
      f->tokens_.push_back({Token::Kind::kField, c, count, ""});
      i = j;
    } else if (c == '#' || c == '{' || c == '}') {
      return DataError(std::string("Pattern includes reserved character: '") + c + "'");
    } else {
      f->tokens_.push_back({Token::Kind::kLiteral, 0, 0, std::string(1, c)});
      ++i;
    }
  }
  return std::shared_ptr<const JavaTimeFormat>(std::move(f));
}

std::string JavaTimeFormat::Format(const LocalDateTime& t, const TimeZone& zone, const ZoneOffset& offset) const {
  const bool simple = style_ == JavaPatternStyle::kSimpleDateFormat;
  std::string out;
  for (const Token& tok : tokens_) {
    if (tok.kind == Token::Kind::kLiteral) {
      out += tok.text;
      continue;
    }
    if (tok.kind != Token::Kind::kField) continue;
    int n = tok.count;
    switch (tok.letter) {
      case 'G': out += t.year > 0 ? "AD" : "BC"; break;
      case 'u':
        if (simple) {  // SimpleDateFormat: the day number of the week, 1 = Monday
          out += Padded(WeekdayOf(t.EpochDay()).iso_encoding(), n);
          break;
        }
        [[fallthrough]];
      case 'y':
      case 'Y':
        if (n == 2) out += Padded(((t.year % 100) + 100) % 100, 2);
        else out += Padded(t.year, n);
        break;
      case 'M':
      case 'L':
        if (n >= 4) out += kMonths[t.month - 1];
        else if (n == 3) out += std::string_view(kMonths[t.month - 1]).substr(0, 3);
        else out += Padded(t.month, n);
        break;
      case 'd': out += Padded(t.day, n); break;
      case 'D': {
        LocalDateTime jan1 = t;
        jan1.month = 1;
        jan1.day = 1;
        out += Padded(t.EpochDay() - jan1.EpochDay() + 1, n);
        break;
      }
      case 'E':
      case 'e':
      case 'c': {
        unsigned dow = WeekdayOf(t.EpochDay()).iso_encoding() - 1;  // 0 = Monday
        if (n >= 4) out += kDays[dow];
        else if (n == 3 || tok.letter == 'E') out += std::string_view(kDays[dow]).substr(0, 3);
        else out += std::to_string(dow + 1);
        break;
      }
      case 'a': out += t.hour < 12 ? "AM" : "PM"; break;
      case 'H': out += Padded(t.hour, n); break;
      case 'k': out += Padded(t.hour == 0 ? 24 : t.hour, n); break;
      case 'h': out += Padded(t.hour % 12 == 0 ? 12 : t.hour % 12, n); break;
      case 'K': out += Padded(t.hour % 12, n); break;
      case 'm': out += Padded(t.minute, n); break;
      case 's': out += Padded(t.second, n); break;
      case 'S':
        if (simple) {  // SimpleDateFormat: milliseconds, zero-padded to the count
          out += Padded(t.nanos / 1'000'000, n);
          break;
        }
        out += Padded(t.nanos, 9).substr(0, static_cast<size_t>(std::min(n, 9))) + std::string(static_cast<size_t>(std::max(n - 9, 0)), '0'); break;
      case 'n': out += std::to_string(t.nanos); break;
      case 'z':
        if (simple) out += n >= 4 ? "Coordinated Universal Time" : "UTC";  // SimpleDateFormat runs in UTC here
        else out += offset.abbreviation;
        break;
      case 'V': out += zone.id(); break;
      case 'O': out += GmtOffset(offset.seconds, n == 4); break;
      case 'Z':
        if (simple) out += OffsetString(offset.seconds, false, true);  // RFC 822 "+0000" whatever the count
        else if (n == 4) out += GmtOffset(offset.seconds, true);
        else if (n == 5) out += offset.seconds == 0 ? "Z" : OffsetString(offset.seconds, true, true);
        else out += OffsetString(offset.seconds, false, true);
        break;
      case 'X':
      case 'x':
        if (tok.letter == 'X' && offset.seconds == 0) out += "Z";
        else out += OffsetString(offset.seconds, n == 3 || n == 5, n != 1);
        break;
      default: break;
    }
  }
  return out;
}

Result<JavaTimeFormat::Parsed> JavaTimeFormat::Parse(std::string_view text) const {
  if (style_ == JavaPatternStyle::kSimpleDateFormat) return ParseSimpleDateFormat(text);
  ParseState s;
  s.text = text;
  size_t i = 0;
  auto fail = [&](const std::string& why) {
    return DataError("Text '" + std::string(text) + "' could not be parsed" + why + " (pattern '" + pattern_ + "')");
  };
  if (!ParseTokens(s, tokens_, i, false)) return fail(" at index " + std::to_string(s.pos));
  if (s.pos != text.size()) return fail(", unparsed text found at index " + std::to_string(s.pos));

  Parsed p;
  LocalDateTime& t = p.local;
  t.year = s.year.value_or(1970);
  if (s.bc) t.year = 1 - t.year;
  if (s.day_of_year) {
    if (*s.day_of_year < 1 || *s.day_of_year > (IsLeapYear(t.year) ? 366 : 365)) return fail(": invalid day of year");
    LocalDateTime jan1;
    jan1.year = t.year;
    LocalDateTime d = LocalDateTime::FromEpochSeconds((jan1.EpochDay() + *s.day_of_year - 1) * 86400, 0);
    t.month = d.month;
    t.day = d.day;
  } else {
    t.month = s.month.value_or(1);
    t.day = s.day.value_or(1);
  }
  if (t.month < 1 || t.month > 12) return fail(": invalid month " + std::to_string(t.month));
  if (t.day < 1 || t.day > 31) return fail(": invalid day of month " + std::to_string(t.day));
  t.day = std::min(t.day, static_cast<int>(DaysInMonth(t.year, static_cast<unsigned>(t.month))));  // java.time's SMART resolver
  if (s.hour_of_day) {
    t.hour = *s.hour_of_day;
  } else if (s.clock_hour_ampm || s.hour_of_ampm) {
    int h = s.clock_hour_ampm ? *s.clock_hour_ampm % 12 : *s.hour_of_ampm;
    t.hour = h + (s.ampm.value_or(0) == 1 ? 12 : 0);
  }
  t.minute = s.minute.value_or(0);
  t.second = s.second.value_or(0);
  t.nanos = s.nanos.value_or(0);
  if (t.hour > 23 || t.minute > 59 || t.second > 59) return fail(": invalid time of day");
  p.offset_seconds = s.offset;
  p.zone = s.zone;
  return p;
}

// SimpleDateFormat's parsing as Kafka Connect uses it (lenient about widths, strict about what follows). The
// fields go into a Parsed like DateTimeFormatter's, so both resolve zones and offsets the same way.
Result<JavaTimeFormat::Parsed> JavaTimeFormat::ParseSimpleDateFormat(std::string_view text) const {
  int64_t year = 1970, month = 1, mday = 1, hour = 0, minute = 0, second = 0, millis = 0;
  std::optional<int64_t> offset_seconds;
  int64_t hour12 = -1;
  bool pm = false;
  size_t pos = 0;
  auto fail = [&](const std::string& what) -> Error {
    return DataError("\"" + std::string(text) + "\" does not match date format \"" + pattern_ + "\": " + what +
                     " at character " + std::to_string(pos + 1));
  };
  for (size_t ti = 0; ti < tokens_.size(); ++ti) {
    const Token& t = tokens_[ti];
    if (t.kind == Token::Kind::kLiteral) {
      if (text.substr(pos, t.text.size()) != t.text) return fail("expected \"" + t.text + "\"");
      pos += t.text.size();
      continue;
    }
    if (IsSimpleNumericLetter(t.letter) || (t.letter == 'M' && t.count <= 2)) {
      // Abutting numeric fields (yyyyMMdd) take exactly their width; a last or separated field takes all digits.
      bool abutting = ti + 1 < tokens_.size() && tokens_[ti + 1].kind == Token::Kind::kField &&
                      (IsSimpleNumericLetter(tokens_[ti + 1].letter) || tokens_[ti + 1].letter == 'M');
      size_t max_digits = abutting ? static_cast<size_t>(t.count) : 18;
      bool negative = t.letter == 'y' && pos < text.size() && text[pos] == '-';
      if (negative) ++pos;
      int64_t n = 0;
      size_t digits = 0;
      while (pos < text.size() && digits < max_digits && std::isdigit(static_cast<unsigned char>(text[pos]))) {
        n = n * 10 + (text[pos++] - '0');
        ++digits;
      }
      if (digits == 0) return fail(std::string("expected digits for '") + t.letter + "'");
      if (negative) n = -n;
      switch (t.letter) {
        case 'y': year = (t.count == 2 && digits == 2) ? (n < 70 ? 2000 + n : 1900 + n) : n; break;
        case 'M': month = n; break;
        case 'd': mday = n; break;
        case 'H': hour = n; break;
        case 'k': hour = n == 24 ? 0 : n; break;
        case 'K':
        case 'h': hour12 = n % 12; break;
        case 'm': minute = n; break;
        case 's': second = n; break;
        case 'S': millis = n; break;
        default: break;  // D, u: checked for digits, not used
      }
      continue;
    }
    switch (t.letter) {
      case 'M': {
        int m = MatchSimpleName(text, pos, kMonths, 12);
        if (m < 0) return fail("expected a month name");
        month = m + 1;
        break;
      }
      case 'E':
        if (MatchSimpleName(text, pos, kDays, 7) < 0) return fail("expected a day name");
        break;
      case 'G':
        if (text.substr(pos, 2) != "AD" && text.substr(pos, 2) != "BC") return fail("expected AD or BC");
        pos += 2;
        break;
      case 'a': {
        std::string_view ap = text.substr(pos, 2);
        if (ap == "AM" || ap == "am") pm = false;
        else if (ap == "PM" || ap == "pm") pm = true;
        else return fail("expected AM or PM");
        pos += 2;
        break;
      }
      case 'z':
      case 'Z':
      case 'X': {
        if (pos < text.size() && text[pos] == 'Z') {
          ++pos;
          offset_seconds = 0;
          break;
        }
        if (text.substr(pos, 3) == "UTC" || text.substr(pos, 3) == "GMT") {
          pos += 3;
          offset_seconds = 0;
          if (pos >= text.size() || (text[pos] != '+' && text[pos] != '-')) break;
        }
        if (pos >= text.size() || (text[pos] != '+' && text[pos] != '-')) return fail("expected a zone offset");
        int sign = text[pos++] == '-' ? -1 : 1;
        int64_t hh = 0, mm = 0;
        size_t digits = 0;
        while (pos < text.size() && digits < 2 && std::isdigit(static_cast<unsigned char>(text[pos]))) {
          hh = hh * 10 + (text[pos++] - '0');
          ++digits;
        }
        if (digits != 2) return fail("expected a zone offset");
        if (pos < text.size() && text[pos] == ':') ++pos;
        digits = 0;
        while (pos < text.size() && digits < 2 && std::isdigit(static_cast<unsigned char>(text[pos]))) {
          mm = mm * 10 + (text[pos++] - '0');
          ++digits;
        }
        offset_seconds = sign * (hh * 3600 + mm * 60);
        break;
      }
      default: break;
    }
  }
  if (pos != text.size()) return fail("unexpected text");
  if (hour12 >= 0) hour = hour12 + (pm ? 12 : 0);
  if (month < 1 || month > 12 || mday < 1 || mday > 31 || hour > 23 || minute > 59 || second > 60 ||
      millis > kMaxMillisField)
    return fail("field out of range");
  if (!IsValidDate(year, static_cast<unsigned>(month), static_cast<unsigned>(mday))) return fail("no such date");
  // Digits beyond the second's 999 ms (S takes every digit) and a leap second count on, as SimpleDateFormat's
  // lenient calendar does: the local time is kept as seconds plus milliseconds, not normalised here.
  Parsed p;
  p.local.year = year;
  p.local.month = static_cast<int>(month);
  p.local.day = static_cast<int>(mday);
  p.local.hour = static_cast<int>(hour);
  p.local.minute = static_cast<int>(minute);
  p.local.second = static_cast<int>(second);
  p.local.nanos = millis * 1'000'000;
  if (offset_seconds) p.offset_seconds = static_cast<int32_t>(*offset_seconds);
  return p;
}

Result<int64_t> JavaTimeFormat::ParseEpochMillis(std::string_view text, const TimeZone& default_zone) const {
  Result<Parsed> p = Parse(text);
  if (!p.ok()) return p.error();
  int64_t local = p->local.LocalSeconds();
  int64_t utc;
  if (p->offset_seconds) utc = local - *p->offset_seconds;
  else if (p->zone) utc = p->zone->ToUtc(local);
  else utc = default_zone.ToUtc(local);
  return utc * 1000 + p->local.nanos / 1'000'000;
}

std::string JavaTimeFormat::FormatEpochMillis(int64_t epoch_millis, const TimeZone& zone) const {
  int64_t utc = FloorDiv(epoch_millis, 1000);
  int64_t millis = epoch_millis - utc * 1000;
  ZoneOffset offset = zone.OffsetAt(utc);
  return Format(LocalDateTime::FromEpochSeconds(utc + offset.seconds, millis * 1'000'000), zone, offset);
}

Result<std::shared_ptr<const JavaTimeFormat>> CachedTimeFormat(const std::string& pattern) {
  return CachedPerThread<JavaTimeFormat>(pattern, [](const std::string& p) { return JavaTimeFormat::Compile(p); });
}

Result<std::shared_ptr<const TimeZone>> CachedTimeZone(const std::string& id) {
  return CachedPerThread<TimeZone>(id, [](const std::string& z) { return FindTimeZone(z); });
}

}  // namespace pipeline
