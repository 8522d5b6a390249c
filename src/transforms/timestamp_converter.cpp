// TimestampConverter: converts a timestamp field (or the whole value/key) between string (Java
// SimpleDateFormat), unix (epoch number in unix.precision), Date, Time and Timestamp, as Kafka Connect's
// TimestampConverter. The input kind is taken from the value itself; all conversions are in UTC.
#include <optional>

#include "core/civil_date.h"
#include "formats/java_time_format.h"
#include "transforms/common/field_slot.h"
#include "transforms/common/transform_errors.h"
#include "transforms/common/transform_registration.h"
#include "transforms/transforms.h"

namespace pipeline {
namespace {

constexpr int64_t kMillisPerDay = 86'400'000;

enum class TargetType { kString, kUnix, kDate, kTime, kTimestamp };
enum class UnixPrecision { kSeconds, kMilliseconds, kMicroseconds, kNanoseconds };

class TimestampConverter final : public RecordTransform {
 public:
  TimestampConverter(RecordPart part, std::string field, TargetType target, UnixPrecision precision,
                     std::shared_ptr<const JavaTimeFormat> format)
      : part_(part), slot_(std::move(field)), target_(target), precision_(precision), format_(std::move(format)) {}

  Result<bool> Apply(Record& record) override {
    Value& target = PartOf(record, part_);
    if (slot_.name().empty()) {
      auto converted = Convert(target);
      if (!converted.ok())
        return DataError("TimestampConverter: record " + std::string(PartName(part_)) + ": " +
                         converted.error().message());
      target = std::move(converted).value();
      return true;
    }
    if (target.is_null()) return true;
    if (target.is_struct()) {
      const Struct& in = target.as_struct();
      int i = slot_.IndexIn(in);
      if (i < 0) return true;
      auto converted = Convert(in.values[static_cast<size_t>(i)]);
      if (!converted.ok()) return FieldError("TimestampConverter", slot_.name(), converted.error().message());
      Struct out{in.names, in.values};
      out.values[static_cast<size_t>(i)] = std::move(converted).value();
      target = Value(std::move(out));
      return true;
    }
    if (target.is_map()) {
      Map out = target.as_map();
      for (auto& [k, v] : out) {
        if (!k.is_string() || k.as_string() != slot_.name()) continue;
        auto converted = Convert(v);
        if (!converted.ok()) return FieldError("TimestampConverter", slot_.name(), converted.error().message());
        v = std::move(converted).value();
      }
      target = Value(std::move(out));
      return true;
    }
    return NotAStructError("TimestampConverter", part_, target);
  }

 private:
  Result<int64_t> ToMillis(const Value& v) const {
    switch (v.kind()) {
      case Value::Kind::kTimestamp:
        return v.as_timestamp().millis;
      case Value::Kind::kDate:
        return int64_t{v.as_date().days} * kMillisPerDay;
      case Value::Kind::kTime:
        return v.as_time().millis;
      case Value::Kind::kInt:
      case Value::Kind::kDouble: {
        int64_t n = v.is_int() ? v.as_int() : static_cast<int64_t>(v.as_double());
        switch (precision_) {
          case UnixPrecision::kSeconds:
            return n * 1000;
          case UnixPrecision::kMilliseconds:
            return n;
          case UnixPrecision::kMicroseconds:
            return FloorDiv(n, 1000);
          case UnixPrecision::kNanoseconds:
            return FloorDiv(n, 1'000'000);
        }
        return n;
      }
      case Value::Kind::kString:
        if (!format_) return DataError("a string timestamp needs the `format` option to be parsed");
        return format_->ParseEpochMillis(v.as_string(), *UtcTimeZone());
      default:
        return DataError("expected a timestamp, a date, a time, a number or a string, got " + KindNameOf(v));
    }
  }

  Result<Value> Convert(const Value& v) const {
    if (v.is_null()) return v;
    auto millis = ToMillis(v);
    if (!millis.ok()) return millis.error();
    int64_t ms = *millis;
    switch (target_) {
      case TargetType::kString:
        return Value(format_->FormatEpochMillis(ms, *UtcTimeZone()));
      case TargetType::kTimestamp:
        return Value(Timestamp{ms});
      case TargetType::kDate:
        return Value(Date{static_cast<int32_t>(FloorDiv(ms, kMillisPerDay))});
      case TargetType::kTime:
        return Value(Time{ms - FloorDiv(ms, kMillisPerDay) * kMillisPerDay});
      case TargetType::kUnix:
        switch (precision_) {
          case UnixPrecision::kSeconds:
            return Value(FloorDiv(ms, 1000));
          case UnixPrecision::kMilliseconds:
            return Value(ms);
          case UnixPrecision::kMicroseconds:
            return Value(ms * 1000);
          case UnixPrecision::kNanoseconds:
            return Value(ms * 1'000'000);
        }
    }
    return v;
  }

  RecordPart part_;
  FieldSlot slot_;
  TargetType target_;
  UnixPrecision precision_;
  std::shared_ptr<const JavaTimeFormat> format_;  // SimpleDateFormat style; null without `format`
};

ComponentSpec Spec(RecordPart part) {
  std::string p(PartName(part));
  ComponentSpec spec;
  spec.type = "TimestampConverter";
  spec.summary = "Convert a timestamp field of the record " + p + " (or the whole " + p +
                 ") between string, unix, Date, Time and Timestamp, in UTC.";
  spec.options = {
      {"field", OptionType::kString, "The field holding the timestamp; empty converts the whole " + p + ".", ""},
      {"target.type",
       OptionType::kEnum,
       "The type to convert to.",
       "",
       true,
       {"string", "unix", "Date", "Time", "Timestamp"}},
      {"format", OptionType::kString,
       "Java SimpleDateFormat pattern (e.g. \"yyyy-MM-dd HH:mm:ss\") used to parse string input and to format "
       "when target.type is string."},
      {"unix.precision",
       OptionType::kEnum,
       "Unit of unix (epoch number) input and output.",
       "milliseconds",
       false,
       {"seconds", "milliseconds", "microseconds", "nanoseconds"}},
  };
  spec.example =
      "transforms:\n  - type: TimestampConverter\n    field: created\n    target.type: string\n"
      "    format: \"yyyy-MM-dd'T'HH:mm:ss.SSSX\"\n";
  return spec;
}

Result<std::unique_ptr<RecordTransform>> Build(const Options& options, const BuildContext&, RecordPart part) {
  std::string type = options.GetString("target.type");
  TargetType target;
  if (type == "string")
    target = TargetType::kString;
  else if (type == "unix")
    target = TargetType::kUnix;
  else if (type == "Date")
    target = TargetType::kDate;
  else if (type == "Time")
    target = TargetType::kTime;
  else if (type == "Timestamp")
    target = TargetType::kTimestamp;
  else
    return options.ErrorAt("target.type", "expected string, unix, Date, Time or Timestamp, got '" + type + "'");
  std::string p = options.GetString("unix.precision");
  UnixPrecision precision;
  if (p == "seconds")
    precision = UnixPrecision::kSeconds;
  else if (p == "milliseconds" || p.empty())
    precision = UnixPrecision::kMilliseconds;
  else if (p == "microseconds")
    precision = UnixPrecision::kMicroseconds;
  else if (p == "nanoseconds")
    precision = UnixPrecision::kNanoseconds;
  else
    return options.ErrorAt("unix.precision", "expected seconds, milliseconds, microseconds or nanoseconds");
  std::shared_ptr<const JavaTimeFormat> format;
  if (options.Has("format") && !options.GetString("format").empty()) {
    auto compiled = JavaTimeFormat::Compile(options.GetString("format"), JavaPatternStyle::kSimpleDateFormat);
    if (!compiled.ok()) return options.ErrorAt("format", compiled.error().message());
    format = std::move(compiled).value();
  }
  if (target == TargetType::kString && !format)
    return options.ErrorAt("format", "target.type string needs a format (e.g. \"yyyy-MM-dd HH:mm:ss\")");
  return std::unique_ptr<RecordTransform>(
      new TimestampConverter(part, options.GetString("field"), target, precision, std::move(format)));
}

}  // namespace

void RegisterTimestampConverter(Registry& registry) { AddKeyValueTransforms(registry, Spec, Build); }

}  // namespace pipeline
