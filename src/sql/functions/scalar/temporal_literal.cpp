#include "sql/functions/scalar/temporal_literal.h"

#include <stdexcept>

#include "formats/java_time_format.h"

namespace pipeline::sql::scalar {

std::optional<Value> ParseTemporalLiteral(const std::string& text, TypeId type) {
  const char* pattern = type == TypeId::kDate   ? "yyyy-MM-dd"
                        : type == TypeId::kTime ? "HH:mm[:ss[.SSS]]"
                                                : "yyyy-MM-dd['T'HH:mm[:ss[.SSS]]][XXX]";
  Result<std::shared_ptr<const JavaTimeFormat>> format = CachedTimeFormat(pattern);
  if (!format.ok()) return std::nullopt;
  if (type == TypeId::kTimestamp) {
    Result<int64_t> millis = (*format)->ParseEpochMillis(text, *UtcTimeZone());
    if (!millis.ok()) return std::nullopt;
    return Value(Timestamp{*millis});
  }
  Result<JavaTimeFormat::Parsed> parsed = (*format)->Parse(text);
  if (!parsed.ok()) return std::nullopt;
  const LocalDateTime& t = parsed->local;
  if (type == TypeId::kDate) return Value(Date{static_cast<int32_t>(t.EpochDay())});
  return Value(Time{(t.hour * 3600 + t.minute * 60 + t.second) * 1000 + t.nanos / 1'000'000});
}

int64_t TemporalNumber(const Value& v, TypeId type) {
  switch (v.kind()) {
    case Value::Kind::kDate: return v.as_date().days;
    case Value::Kind::kTime: return v.as_time().millis;
    case Value::Kind::kTimestamp: return v.as_timestamp().millis;
    case Value::Kind::kInt: return v.as_int();
    case Value::Kind::kString: {
      const std::string& text = v.as_string();
      if (!text.empty() && text.find_first_not_of("0123456789", text[0] == '-' ? 1 : 0) == std::string::npos && text != "-")
        return std::stoll(text);  // the wire form: days / millis as text
      std::optional<Value> parsed = ParseTemporalLiteral(v.as_string(), type);
      if (!parsed) throw std::invalid_argument("'" + v.as_string() + "' is not a " + SqlType::Of(type).ToString());
      return TemporalNumber(*parsed, type);
    }
    default: throw std::invalid_argument("a " + std::string(Value::KindName(v.kind())) + " value is not a " +
                                         SqlType::Of(type).ToString());
  }
}

}  // namespace pipeline::sql::scalar
