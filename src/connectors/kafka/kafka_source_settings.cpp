// Options -> KafkaSourceSettings: every check of the source's options, with errors at their YAML location.
#include "connectors/kafka/kafka_source.h"

namespace pipeline::kafka {

Result<KafkaSourceSettings> ParseKafkaSourceSettings(const Options& options, const std::string& name) {
  KafkaSourceSettings s;
  s.name = name;
  s.bootstrap_servers = options.GetString("bootstrap_servers");
  if (s.bootstrap_servers.empty()) return options.ErrorAt("bootstrap_servers", "is required (host:port,...)");
  if (options.Has("topics")) s.topics = options.GetStringList("topics");
  if (options.Has("topic_pattern")) {
    s.topic_pattern = options.GetString("topic_pattern");
    if (s.topic_pattern.empty() || s.topic_pattern[0] != '^') s.topic_pattern = "^" + s.topic_pattern;
  }
  if (s.topics.empty() == s.topic_pattern.empty())
    return options.ErrorAt(s.topics.empty() ? "topics" : "topic_pattern",
                           "give either topics (a list) or topic_pattern (a regular expression), not both");
  s.group_id = options.Has("group_id") ? options.GetString("group_id") : "pipe-" + name;
  s.group_assignment = options.GetString("assignment") != "all";
  if (!s.group_assignment && !s.topic_pattern.empty())
    return options.ErrorAt("assignment", "assignment: all needs a topics list (not topic_pattern)");
  std::string start = options.GetString("start");
  if (start == "latest") s.start = StartPosition::kLatest;
  if (start == "timestamp") {
    s.start = StartPosition::kTimestamp;
    if (!options.Has("start_timestamp"))
      return options.ErrorAt("start", "start: timestamp needs start_timestamp (ms since epoch)");
    s.start_timestamp_ms = options.GetInt("start_timestamp");
  }
  auto key_format = ParseKafkaFormat(options.GetString("key_format"));
  if (!key_format.ok()) return options.ErrorAt("key_format", key_format.error().message());
  s.key_format = *key_format;
  auto value_format = ParseKafkaFormat(options.GetString("value_format"));
  if (!value_format.ok()) return options.ErrorAt("value_format", value_format.error().message());
  s.value_format = *value_format;
  s.stop_at_end = options.GetBool("stop_at_end");
  int64_t batch_size = options.GetInt("batch_size");
  if (batch_size < 1) return options.ErrorAt("batch_size", "must be at least 1");
  s.batch_size = static_cast<size_t>(batch_size);
  // on_error (a key every source accepts) covers messages that do not decode; on_decode_error is the older name.
  const std::string policy = options.GetString("on_error");  // or its deprecated alias
  s.on_decode_error = ParseOnError(policy).value_or(OnError::kFail);
  if (s.on_decode_error == OnError::kDeadLetter) {
    s.dead_letter_path = options.GetString("dead_letter_path");
    if (s.dead_letter_path.empty())
      return options.ErrorAt(options.Has("on_decode_error") ? "on_decode_error" : "on_error",
                             "dead_letter needs dead_letter_path (a file or kafka://brokers/topic)");
  }
  s.rebalance_timeout = std::chrono::milliseconds(options.GetDurationMs("rebalance_timeout"));
  if (options.Has("properties")) s.properties = options.GetMap("properties");
  if (Status checked = CheckUserProperties(options); !checked.ok()) return checked.error();
  for (const char* owned : {"enable.auto.commit", "enable.auto.offset.store"}) {
    if (s.properties.count(owned))
      return options.ErrorAt("properties", std::string(owned) +
                                               " is managed by pipe (offsets are committed after delivery)");
  }
  return s;
}

}  // namespace pipeline::kafka
