#include "transforms/common/java_date_format.h"

#include <cctype>
#include <cstring>

#include "core/civil_date.h"

namespace pipeline {
namespace {

constexpr int64_t kMillisPerDay = 86'400'000;
const char* const kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                               "July",    "August",   "September", "October", "November", "December"};
const char* const kWeekdays[] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

bool IsNumericLetter(char c) { return std::strchr("yYdDuHkKhmsS", c) != nullptr; }

void AppendPadded(int64_t v, int width, std::string& out) {
  if (v < 0) {
    out += '-';
    v = -v;
  }
  std::string digits = std::to_string(v);
  for (int i = static_cast<int>(digits.size()); i < width; ++i) out += '0';
  out += digits;
}

// Matches one of `names` (full or 3-letter) case-insensitively; returns its index or -1.
int MatchName(std::string_view text, size_t& pos, const char* const* names, int count) {
  for (bool full : {true, false}) {
    for (int i = 0; i < count; ++i) {
      std::string_view name = names[i];
      if (!full) name = name.substr(0, 3);
      if (text.size() - pos < name.size()) continue;
      bool same = true;
      for (size_t j = 0; j < name.size() && same; ++j)
        same = std::tolower(static_cast<unsigned char>(text[pos + j])) ==
               std::tolower(static_cast<unsigned char>(name[j]));
      if (same) {
        pos += name.size();
        return i;
      }
    }
  }
  return -1;
}

}  // namespace

Result<JavaDateFormat> JavaDateFormat::Compile(std::string_view pattern) {
  JavaDateFormat f;
  f.pattern_ = std::string(pattern);
  size_t i = 0;
  auto literal = [&](char c) {
    if (f.tokens_.empty() || f.tokens_.back().letter != 0) f.tokens_.push_back(Token{});
    f.tokens_.back().literal += c;
  };
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
      if (close >= pattern.size()) return ConfigError("date format \"" + f.pattern_ + "\": unterminated quote");
      i = close + 1;
    } else if (std::isalpha(static_cast<unsigned char>(c))) {
      if (!std::strchr("GyYMLdDEuaHkKhmsSzZX", c))
        return ConfigError("date format \"" + f.pattern_ + "\": pattern letter '" + std::string(1, c) +
                           "' is not supported (quote literal text as 'text')");
      size_t start = i;
      while (i < pattern.size() && pattern[i] == c) ++i;
      f.tokens_.push_back(Token{c == 'L' ? 'M' : (c == 'Y' ? 'y' : c), static_cast<int>(i - start), {}});
    } else {
      literal(c);
      ++i;
    }
  }
  return f;
}

std::string JavaDateFormat::Format(int64_t epoch_millis) const {
  std::string out;
  Format(epoch_millis, out);
  return out;
}

void JavaDateFormat::Format(int64_t epoch_millis, std::string& out) const {
  int64_t days = FloorDiv(epoch_millis, kMillisPerDay);
  int64_t ms_of_day = epoch_millis - days * kMillisPerDay;
  CivilDate date = CivilFromDays(days);
  int64_t year = date.year;
  int month = static_cast<int>(date.month);
  int mday = static_cast<int>(date.day);
  int weekday = static_cast<int>(WeekdayOf(days).iso_encoding());  // 1 = Monday
  int hour = static_cast<int>(ms_of_day / 3'600'000);
  int minute = static_cast<int>(ms_of_day / 60'000 % 60);
  int second = static_cast<int>(ms_of_day / 1000 % 60);
  int millis = static_cast<int>(ms_of_day % 1000);
  for (const Token& t : tokens_) {
    switch (t.letter) {
      case 0:
        out += t.literal;
        break;
      case 'G':
        out += year > 0 ? "AD" : "BC";
        break;
      case 'y':
        if (t.count == 2)
          AppendPadded(((year % 100) + 100) % 100, 2, out);
        else
          AppendPadded(year, t.count, out);
        break;
      case 'M':
        if (t.count >= 4)
          out += kMonths[month - 1];
        else if (t.count == 3)
          out.append(kMonths[month - 1], 3);
        else
          AppendPadded(month, t.count, out);
        break;
      case 'd':
        AppendPadded(mday, t.count, out);
        break;
      case 'D': {
        AppendPadded(days - DaysFromCivil(year, 1, 1) + 1, t.count, out);
        break;
      }
      case 'E':
        if (t.count >= 4)
          out += kWeekdays[weekday - 1];
        else
          out.append(kWeekdays[weekday - 1], 3);
        break;
      case 'u':
        AppendPadded(weekday, t.count, out);
        break;
      case 'a':
        out += hour < 12 ? "AM" : "PM";
        break;
      case 'H':
        AppendPadded(hour, t.count, out);
        break;
      case 'k':
        AppendPadded(hour == 0 ? 24 : hour, t.count, out);
        break;
      case 'K':
        AppendPadded(hour % 12, t.count, out);
        break;
      case 'h':
        AppendPadded(hour % 12 == 0 ? 12 : hour % 12, t.count, out);
        break;
      case 'm':
        AppendPadded(minute, t.count, out);
        break;
      case 's':
        AppendPadded(second, t.count, out);
        break;
      case 'S':
        AppendPadded(millis, t.count, out);
        break;  // Java: milliseconds, zero-padded to the count
      case 'z':
        out += t.count >= 4 ? "Coordinated Universal Time" : "UTC";
        break;
      case 'Z':
        out += "+0000";
        break;
      case 'X':
        out += 'Z';
        break;
      default:
        break;
    }
  }
}

Result<int64_t> JavaDateFormat::Parse(std::string_view text) const {
  int64_t year = 1970, month = 1, mday = 1, hour = 0, minute = 0, second = 0, millis = 0, offset_ms = 0;
  int64_t hour12 = -1;
  bool pm = false;
  size_t pos = 0;
  auto fail = [&](const std::string& what) -> Error {
    return DataError("\"" + std::string(text) + "\" does not match date format \"" + pattern_ + "\": " + what +
                     " at character " + std::to_string(pos + 1));
  };
  for (size_t ti = 0; ti < tokens_.size(); ++ti) {
    const Token& t = tokens_[ti];
    if (t.letter == 0) {
      if (text.substr(pos, t.literal.size()) != t.literal) return fail("expected \"" + t.literal + "\"");
      pos += t.literal.size();
      continue;
    }
    if (IsNumericLetter(t.letter) || (t.letter == 'M' && t.count <= 2)) {
      // Abutting numeric fields (yyyyMMdd) take exactly their width; a last or separated field takes all digits.
      bool abutting = ti + 1 < tokens_.size() && tokens_[ti + 1].letter != 0 &&
                      (IsNumericLetter(tokens_[ti + 1].letter) || tokens_[ti + 1].letter == 'M');
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
        case 'y':
          year = (t.count == 2 && digits == 2) ? (n < 70 ? 2000 + n : 1900 + n) : n;
          break;
        case 'M':
          month = n;
          break;
        case 'd':
          mday = n;
          break;
        case 'H':
          hour = n;
          break;
        case 'k':
          hour = n == 24 ? 0 : n;
          break;
        case 'K':
        case 'h':
          hour12 = n % 12;
          break;
        case 'm':
          minute = n;
          break;
        case 's':
          second = n;
          break;
        case 'S':
          millis = n;
          break;
        default:
          break;  // D, u: checked for digits, not used
      }
      continue;
    }
    switch (t.letter) {
      case 'M': {
        int m = MatchName(text, pos, kMonths, 12);
        if (m < 0) return fail("expected a month name");
        month = m + 1;
        break;
      }
      case 'E':
        if (MatchName(text, pos, kWeekdays, 7) < 0) return fail("expected a day name");
        break;
      case 'G':
        if (text.substr(pos, 2) != "AD" && text.substr(pos, 2) != "BC") return fail("expected AD or BC");
        pos += 2;
        break;
      case 'a': {
        std::string_view ap = text.substr(pos, 2);
        if (ap == "AM" || ap == "am")
          pm = false;
        else if (ap == "PM" || ap == "pm")
          pm = true;
        else
          return fail("expected AM or PM");
        pos += 2;
        break;
      }
      case 'z':
      case 'Z':
      case 'X': {
        if (pos < text.size() && text[pos] == 'Z') {
          ++pos;
          break;
        }
        if (text.substr(pos, 3) == "UTC" || text.substr(pos, 3) == "GMT") {
          pos += 3;
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
        offset_ms = sign * (hh * 3'600'000 + mm * 60'000);
        break;
      }
      default:
        break;
    }
  }
  if (pos != text.size()) return fail("unexpected text");
  if (hour12 >= 0) hour = hour12 + (pm ? 12 : 0);
  if (month < 1 || month > 12 || mday < 1 || mday > 31 || hour > 23 || minute > 59 || second > 60)
    return fail("field out of range");
  if (!IsValidDate(year, static_cast<unsigned>(month), static_cast<unsigned>(mday))) return fail("no such date");
  int64_t days = DaysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(mday));
  return days * kMillisPerDay + hour * 3'600'000 + minute * 60'000 + second * 1000 + millis - offset_ms;
}

}  // namespace pipeline
