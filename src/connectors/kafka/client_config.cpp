#include "connectors/kafka/client_config.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string_view>

#include "core/suggest.h"
#include "observability/log.h"

namespace pipeline::kafka {

namespace {

// librdkafka's own property names, read from the table rd_kafka_conf_properties_show prints (global properties,
// then topic properties): the one list that matches the library actually linked.
std::vector<std::string> ReadKnownPropertyNames() {
  char* buffer = nullptr;
  size_t size = 0;
  FILE* table = open_memstream(&buffer, &size);
  if (!table) return {};
  rd_kafka_conf_properties_show(table);
  std::fclose(table);
  std::istringstream lines(std::string(buffer, size));
  std::free(buffer);
  std::vector<std::string> names;
  for (std::string line; std::getline(lines, line);) {
    size_t end = line.find_first_of(" |");
    std::string name = line.substr(0, end);
    if (name.empty() || name == "Property" || name.find_first_not_of('-') == std::string::npos) continue;
    if (line.find('|') == std::string::npos) continue;
    names.push_back(name);
  }
  return names;
}

const std::vector<std::string>& KnownPropertyNames() {
  static const std::vector<std::string> names = ReadKnownPropertyNames();
  return names;
}

// A property whose setting has an effect at once: plugin.library.paths loads shared libraries.
bool HasSideEffect(const std::string& key) { return key == "plugin.library.paths"; }

}  // namespace

bool IsKnownProperty(const std::string& key) {
  const auto& names = KnownPropertyNames();
  return std::find(names.begin(), names.end(), key) != names.end();
}

bool IsSecretProperty(const std::string& key) {
  std::string lower = key;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  for (const char* word : {"password", "secret", "jaas", "token", "key", "credentials"})
    if (lower.find(word) != std::string::npos) return true;
  return !IsKnownProperty(key);
}

Status CheckUserProperties(const Options& options) {
  YAML::Node map = options.Raw("properties");
  if (!map.IsMap()) return {};
  KafkaConf scratch(rd_kafka_conf_new());
  const std::string file = options.LocationOf("properties").file;
  for (const auto& kv : map) {
    const std::string key = kv.first.Scalar();
    const YAML::Node& value = kv.second;
    const bool hidden = IsSecretProperty(key) || IsHiddenValue(value, nullptr);
    const std::string not_shown = hidden ? " (value not shown: secret)" : "";
    const Location at{file, kv.first.Mark().line + 1, kv.first.Mark().column + 1};
    if (!IsKnownProperty(key))
      return ConfigError(at.ToString() + ": properties: '" + key + "' is not a librdkafka property" +
                         DidYouMean(key, KnownPropertyNames()) + not_shown);
    if (!value.IsScalar())
      return ConfigError(at.ToString() + ": properties: " + key + ": expected a single value" + not_shown);
    if (HasSideEffect(key)) continue;
    char errstr[512];
    if (rd_kafka_conf_set(scratch.get(), key.c_str(), value.Scalar().c_str(), errstr, sizeof(errstr)) ==
        RD_KAFKA_CONF_OK)
      continue;
    // librdkafka's reason may quote the value, so a hidden one gets a message of our own.
    if (hidden) return ConfigError(at.ToString() + ": properties: " + key + ": rejected by librdkafka" + not_shown);
    return ConfigError(at.ToString() + ": properties: " + DescribeProperty(key, value.Scalar()) + ": " + errstr);
  }
  return {};
}

bool IsConsumerOnlyProperty(const std::string& key) {
  for (const char* prefix : {"session.timeout", "heartbeat.", "group.", "partition.assignment", "max.poll", "auto.",
                             "enable.auto", "fetch.", "isolation.level", "queued.", "check.crcs", "coordinator."})
    if (key.rfind(prefix, 0) == 0) return true;
  return false;
}

std::string DescribeProperty(const std::string& key, const std::string& value) {
  return key + "=" + (IsSecretProperty(key) ? std::string("<redacted>") : value);
}

namespace {

// librdkafka's own log lines (a broker unreachable, a request timed out, ...) go through pipe's log, in its format
// (text or json) and level, instead of librdkafka's "%3|...|FAIL|..." lines on stderr. Levels are syslog's; what
// librdkafka reports at error level it retries on its own, so it is a warning here: pipe fails, with the reason,
// when retrying ends (delivery_timeout, a fatal error).
void LogFromClient(const rd_kafka_t* rk, int level, const char* facility, const char* message) {
  std::string_view text = message;
  if (text.starts_with("[thrd:")) {  // librdkafka's thread name says nothing to a user
    size_t end = text.find("]: ");
    if (end != std::string_view::npos) text.remove_prefix(end + 3);
  }
  LogFields fields = {{"client", rd_kafka_name(rk)}, {"facility", facility}};
  Log(level <= 4 ? LogLevel::kWarn : level <= 6 ? LogLevel::kInfo : LogLevel::kDebug, "kafka_client",
      std::string(text), fields);
}

}  // namespace

Result<KafkaConf> BuildClientConf(const ClientProperties& properties) {
  KafkaConf conf(rd_kafka_conf_new());
  rd_kafka_conf_set_log_cb(conf.get(), &LogFromClient);
  char errstr[512];
  for (const auto& [key, value] : properties) {
    if (rd_kafka_conf_set(conf.get(), key.c_str(), value.c_str(), errstr, sizeof(errstr)) == RD_KAFKA_CONF_OK)
      continue;
    // librdkafka's reason may quote the value, so a secret gets a message of our own.
    if (IsSecretProperty(key))
      return ConfigError("kafka property '" + key + "' was rejected by librdkafka (value not shown: secret)");
    return ConfigError("kafka property '" + DescribeProperty(key, value) + "': " + errstr);
  }
  return conf;
}

void AppendUserProperties(const std::map<std::string, std::string>& user, ClientProperties& properties) {
  for (const auto& [key, value] : user) properties.emplace_back(key, value);
}

std::string KafkaErrorText(rd_kafka_resp_err_t err) { return rd_kafka_err2str(err); }

}  // namespace pipeline::kafka
