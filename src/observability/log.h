// Log: what pipe is doing, in words a user understands, to stderr. Every event has a name (for json output and
// for grepping); normal operation logs little.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace pipeline {

enum class LogFormat { kText, kJson };
enum class LogLevel { kDebug, kInfo, kWarn, kError };

using LogFields = std::vector<std::pair<std::string, std::string>>;

void SetLogFormat(LogFormat format);
LogFormat CurrentLogFormat();
void SetLogLevel(LogLevel level);
void Log(LogLevel level, const std::string& event, const std::string& message, const LogFields& fields = {});

inline void LogInfo(const std::string& event, const std::string& message, const LogFields& fields = {}) {
  Log(LogLevel::kInfo, event, message, fields);
}
inline void LogWarn(const std::string& event, const std::string& message, const LogFields& fields = {}) {
  Log(LogLevel::kWarn, event, message, fields);
}
inline void LogError(const std::string& event, const std::string& message, const LogFields& fields = {}) {
  Log(LogLevel::kError, event, message, fields);
}

}  // namespace pipeline
