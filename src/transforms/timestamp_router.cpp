// TimestampRouter: sets the topic (stream name) from the original topic and the record timestamp, as Kafka
// Connect's TimestampRouter ("${topic}-${timestamp}" with timestamp.format "yyyyMMdd", UTC); used to route to
// time-bucketed tables or indices.
#include <string_view>

#include "formats/java_time_format.h"
#include "transforms/common/transform_registration.h"
#include "transforms/transforms.h"

namespace pipeline {
namespace {

class TimestampRouter final : public RecordTransform {
 public:
  TimestampRouter(std::vector<std::string> pieces, std::shared_ptr<const JavaTimeFormat> format)
      : pieces_(std::move(pieces)), format_(std::move(format)) {}

  Result<bool> Apply(Record& record) override {
    // pieces_ alternate: literal, ${topic}|${timestamp} marker, literal, …
    std::string routed;
    routed.reserve(record.topic.size() + 16);
    for (const auto& piece : pieces_) {
      if (piece == kTopic)
        routed += record.topic;
      else if (piece == kTimestamp)
        routed += format_->FormatEpochMillis(record.timestamp, *UtcTimeZone());
      else
        routed += piece;
    }
    record.topic = std::move(routed);
    return true;
  }

  static constexpr const char* kTopic = "${topic}";
  static constexpr const char* kTimestamp = "${timestamp}";

 private:
  std::vector<std::string> pieces_;
  std::shared_ptr<const JavaTimeFormat> format_;  // SimpleDateFormat style
};

// Splits "a${topic}b${timestamp}" into literal and placeholder pieces. {topic} and {timestamp} (no `$`) are
// accepted too, because pipeline files substitute ${NAME} from the environment: write $${topic} or {topic}.
std::vector<std::string> SplitTopicFormat(const std::string& format) {
  std::vector<std::string> pieces;
  std::string literal;
  size_t i = 0;
  while (i < format.size()) {
    size_t at = format[i] == '$' ? i + 1 : i;
    std::string_view rest = std::string_view(format).substr(at);
    const char* marker = nullptr;
    if (rest.substr(0, 7) == "{topic}")
      marker = TimestampRouter::kTopic;
    else if (rest.substr(0, 11) == "{timestamp}")
      marker = TimestampRouter::kTimestamp;
    if (!marker) {
      literal += format[i++];
      continue;
    }
    if (!literal.empty()) pieces.push_back(std::move(literal));
    literal.clear();
    pieces.push_back(marker);
    i = at + std::string_view(marker).size() - 1;  // the marker's text without its `$`
  }
  if (!literal.empty()) pieces.push_back(std::move(literal));
  return pieces;
}

ComponentSpec Spec() {
  ComponentSpec spec;
  spec.type = "TimestampRouter";
  spec.summary = "Set the topic (stream name) from the original topic and the record timestamp (UTC).";
  spec.options = {
      {"topic.format", OptionType::kString,
       "The new topic: ${topic} is the original topic, ${timestamp} the formatted "
       "record timestamp. In a pipeline file write $${topic} (or {topic}): "
       "${NAME} alone is replaced from the environment.",
       "${topic}-${timestamp}"},
      {"timestamp.format", OptionType::kString, "Java SimpleDateFormat pattern for ${timestamp}.", "yyyyMMdd"},
  };
  spec.example =
      "transforms:\n  - type: TimestampRouter\n    topic.format: \"logs-{timestamp}\"\n"
      "    timestamp.format: \"yyyy.MM.dd\"\n";
  return spec;
}

Result<std::unique_ptr<RecordTransform>> Build(const Options& options, const BuildContext&) {
  auto format = JavaTimeFormat::Compile(options.GetString("timestamp.format"), JavaPatternStyle::kSimpleDateFormat);
  if (!format.ok()) return options.ErrorAt("timestamp.format", format.error().message());
  return std::unique_ptr<RecordTransform>(
      new TimestampRouter(SplitTopicFormat(options.GetString("topic.format")), std::move(format).value()));
}

}  // namespace

void RegisterTimestampRouter(Registry& registry) { AddPredicatedTransform(registry, Spec(), Build); }

}  // namespace pipeline
