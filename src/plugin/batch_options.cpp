#include "plugin/batch_options.h"

namespace pipeline {

OptionSpec BatchOption(const BatchLimits& defaults, std::string description) {
  return {.name = "batch",
          .type = OptionType::kObject,
          .description = std::move(description),
          .fields = {
              {.name = "max_records", .type = OptionType::kInt, .description = "Most records in one request.",
               .default_value = std::to_string(defaults.max_records)},
              {.name = "max_bytes", .type = OptionType::kInt,
               .description = "Most bytes of encoded records in one request (a larger record goes alone).",
               .default_value = std::to_string(defaults.max_bytes)},
              {.name = "max_age", .type = OptionType::kDuration,
               .description = "Longest time a record waits for the request to fill up.",
               .default_value = std::to_string(defaults.max_age.count()) + "ms"},
          }};
}

Result<BatchLimits> ParseBatchOptions(const Options& options, const std::string& name) {
  const Options object = options.Object(name);
  BatchLimits limits;
  for (const char* field : {"max_records", "max_bytes"})
    if (object.GetInt(field) <= 0) return object.ErrorAt(field, "must be positive");
  limits.max_records = static_cast<size_t>(object.GetInt("max_records"));
  limits.max_bytes = static_cast<size_t>(object.GetInt("max_bytes"));
  limits.max_age = std::chrono::milliseconds(object.GetDurationMs("max_age"));
  return limits;
}

bool BatchAccumulator::Add(const BatchPtr& batch, size_t index, size_t bytes, Clock::time_point now) {
  if (held_.empty()) oldest_ = now;
  held_.push_back({batch, index, bytes});
  bytes_ += bytes;
  return held_.size() >= limits_.max_records || bytes_ >= limits_.max_bytes;
}

bool BatchAccumulator::Due(Clock::time_point now) const {
  return !held_.empty() && now - oldest_ >= limits_.max_age;
}

std::vector<HeldRecord> BatchAccumulator::Take() {
  bytes_ = 0;
  return std::exchange(held_, {});
}

}  // namespace pipeline
