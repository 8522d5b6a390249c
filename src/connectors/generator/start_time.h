// Parses the generator's `start_time`: "now", epoch milliseconds, or a UTC date/time
// "YYYY-MM-DD", "YYYY-MM-DDTHH:MM:SS[.mmm][Z]" (a space instead of T is accepted).
#pragma once

#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>

namespace pipeline::generator {

inline std::optional<int64_t> ParseStartTime(const std::string& text) {
  using namespace std::chrono;
  if (text.empty() || text == "now")
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  if (text.find_first_not_of("0123456789") == std::string::npos) {  // epoch ms; beyond int64 is no time at all
    int64_t ms = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), ms);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return ms;
  }
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, ms = 0, consumed = 0;
  char sep = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%n", &y, &mo, &d, &consumed) != 3) return std::nullopt;
  std::string rest = text.substr(consumed);
  if (!rest.empty()) {
    int n = 0;
    if (std::sscanf(rest.c_str(), "%c%2d:%2d:%2d%n", &sep, &h, &mi, &s, &n) != 4 || (sep != 'T' && sep != ' '))
      return std::nullopt;
    rest = rest.substr(n);
    if (!rest.empty() && rest[0] == '.') {  // fraction of a second; digits after the third are ignored
      size_t i = 1;
      int digits = 0;
      for (; i < rest.size() && rest[i] >= '0' && rest[i] <= '9'; ++i)
        if (digits < 3) ms = ms * 10 + (rest[i] - '0'), ++digits;
      if (digits == 0) return std::nullopt;
      for (; digits < 3; ++digits) ms *= 10;
      rest = rest.substr(i);
    }
    if (rest != "" && rest != "Z" && rest != "+00:00") return std::nullopt;
  }
  year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || s > 60) return std::nullopt;
  auto t = sys_days{ymd} + hours{h} + minutes{mi} + seconds{s} + milliseconds{ms};
  return duration_cast<milliseconds>(t.time_since_epoch()).count();
}

}  // namespace pipeline::generator
