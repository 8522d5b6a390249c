#include "observability/log.h"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

#include <fmt/format.h>

#include "formats/json.h"

namespace pipeline {

namespace {
std::atomic<LogFormat> g_format{LogFormat::kText};
std::atomic<LogLevel> g_level{LogLevel::kInfo};
std::mutex g_mu;

const char* LevelName(LogLevel l) {
  switch (l) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarn: return "warn";
    case LogLevel::kError: return "error";
  }
  return "?";
}

std::string Now() {
  auto now = std::chrono::system_clock::now();
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm;
  gmtime_r(&t, &tm);
  return fmt::format("{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}.{:03d}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
}
// JSON's number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?, so that "007" or "1e" stay strings.
bool IsJsonNumber(const std::string& s) {
  size_t i = s.size() > 0 && s[0] == '-' ? 1 : 0;
  auto digits = [&] {
    size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i - start;
  };
  const size_t first = i;
  const size_t whole = digits();
  if (whole == 0 || (whole > 1 && s[first] == '0')) return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (digits() == 0) return false;
  }
  return i == s.size();
}
}  // namespace

void SetLogFormat(LogFormat format) { g_format = format; }
LogFormat CurrentLogFormat() { return g_format.load(); }
void SetLogLevel(LogLevel level) { g_level = level; }

void Log(LogLevel level, const std::string& event, const std::string& message, const LogFields& fields) {
  if (level < g_level.load()) return;
  std::string line;
  if (g_format.load() == LogFormat::kJson) {
    line = "{\"ts\":\"" + Now() + "\",\"level\":\"" + LevelName(level) + "\",\"event\":";
    AppendJsonString(event, line);
    line += ",\"message\":";
    AppendJsonString(message, line);
    for (const auto& [k, v] : fields) {
      line += ",";
      AppendJsonString(k, line);
      line += ":";
      if (IsJsonNumber(v)) line += v;  // counts and durations stay numbers for jq and log pipelines
      else AppendJsonString(v, line);
    }
    line += "}\n";
  } else {
    line = Now() + " " + LevelName(level) + " " + message;
    for (const auto& [k, v] : fields) line += " " + k + "=" + v;
    line += "\n";
  }
  std::lock_guard lock(g_mu);
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
}

}  // namespace pipeline
