// Date and time conversions: FORMAT_/PARSE_ TIMESTAMP, DATE and TIME, the deprecated TIMESTAMPTOSTRING,
// STRINGTOTIMESTAMP, STRINGTODATE, DATETOSTRING, and UNIX_TIMESTAMP, UNIX_DATE, FROM_UNIXTIME, FROM_DAYS,
// CONVERT_TZ. Patterns are Java DateTimeFormatter patterns; time zones are java.time ZoneIds. A text that does
// not match its pattern is a per-record error: the function returns NULL and reports it on the EvalContext.
#include <chrono>

#include "sql/functions/scalar/families.h"
#include "formats/java_time_format.h"
#include "sql/functions/scalar/signature.h"
#include "sql/functions/scalar/temporal_literal.h"
#include "sql/functions/scalar/value_access.h"

namespace pipeline::sql::scalar {

namespace {

const SqlType kString = T(TypeId::kString);
constexpr int64_t kMillisPerDay = 86'400'000;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Resolves the optional zone argument at `index` (UTC when absent); reports and returns nullptr when unknown.
const TimeZone* ZoneArg(const Args& a, size_t index, EvalContext& ctx) {
  if (a.size() <= index) return UtcTimeZone().get();
  Result<std::shared_ptr<const TimeZone>> tz = CachedTimeZone(a[index].as_string());
  if (!tz.ok()) {
    ctx.Fail(tz.error().message());
    return nullptr;
  }
  return tz->get();  // cached for the life of the thread
}

const JavaTimeFormat* FormatArg(const Value& pattern, EvalContext& ctx) {
  Result<std::shared_ptr<const JavaTimeFormat>> f = CachedTimeFormat(pattern.as_string());
  if (!f.ok()) {
    ctx.Fail(f.error().message());
    return nullptr;
  }
  return f->get();
}

Value FormatMillis(int64_t millis, const Args& a, EvalContext& ctx) {
  const JavaTimeFormat* f = FormatArg(a[1], ctx);
  const TimeZone* zone = ZoneArg(a, 2, ctx);
  if (!f || !zone) return Value();
  return Value(f->FormatEpochMillis(millis, *zone));
}

std::optional<int64_t> ParseMillis(const Args& a, EvalContext& ctx) {
  const JavaTimeFormat* f = FormatArg(a[1], ctx);
  const TimeZone* zone = ZoneArg(a, 2, ctx);
  if (!f || !zone) return std::nullopt;
  Result<int64_t> millis = f->ParseEpochMillis(a[0].as_string(), *zone);
  if (!millis.ok()) {
    ctx.Fail(millis.error().message());
    return std::nullopt;
  }
  return *millis;
}

Value FormatDays(int64_t days, const Args& a, EvalContext& ctx) {
  const JavaTimeFormat* f = FormatArg(a[1], ctx);
  if (!f) return Value();
  ZoneOffset utc{0, "UTC", false};
  return Value(f->Format(LocalDateTime::FromEpochSeconds(days * 86400, 0), *UtcTimeZone(), utc));
}

std::optional<int64_t> ParseDays(const Args& a, EvalContext& ctx) {
  const JavaTimeFormat* f = FormatArg(a[1], ctx);
  if (!f) return std::nullopt;
  Result<JavaTimeFormat::Parsed> p = f->Parse(a[0].as_string());
  if (!p.ok()) {
    ctx.Fail(p.error().message());
    return std::nullopt;
  }
  return p->local.EpochDay();
}

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

void RegisterDateTimeFunctions(ScalarFunctionRegistry& reg) {
  const SqlType kTimestamp = T(TypeId::kTimestamp);
  const SqlType kDate = T(TypeId::kDate);
  const SqlType kTime = T(TypeId::kTime);
  const SqlType kBigInt = T(TypeId::kBigInt);
  const SqlType kInt = T(TypeId::kInt);

  auto format_ts = [](const Args& a, EvalContext& ctx) { return FormatMillis(TimestampMillisOf(a[0]), a, ctx); };
  reg.Add(FunctionBuilder("FORMAT_TIMESTAMP", "date/time",
                          "Formats a TIMESTAMP with a Java DateTimeFormatter pattern, in UTC or the given time zone.")
              .Overload("(timestamp TIMESTAMP, format STRING) -> STRING", Returns(kString, format_ts))
              .Overload("(timestamp TIMESTAMP, format STRING, timezone STRING) -> STRING", Returns(kString, format_ts))
              .Build());
  auto parse_ts = [](const Args& a, EvalContext& ctx) -> Value {
    std::optional<int64_t> ms = ParseMillis(a, ctx);
    return ms ? Value(Timestamp{*ms}) : Value();
  };
  reg.Add(FunctionBuilder("PARSE_TIMESTAMP", "date/time",
                          "Parses a string with a Java DateTimeFormatter pattern into a TIMESTAMP, in UTC or the given time zone.")
              .Overload("(text STRING, format STRING) -> TIMESTAMP", Returns(kTimestamp, parse_ts))
              .Overload("(text STRING, format STRING, timezone STRING) -> TIMESTAMP", Returns(kTimestamp, parse_ts))
              .Build());
  // ROWTIME is a BIGINT in ksqlDB; the TIMESTAMP overloads also accept it where an engine types it as TIMESTAMP.
  auto millis_to_string = [](const Args& a, EvalContext& ctx) {
    return FormatMillis(a[0].is_int() ? a[0].as_int() : TimestampMillisOf(a[0]), a, ctx);
  };
  reg.Add(FunctionBuilder("TIMESTAMPTOSTRING", "date/time",
                          "Deprecated (use FORMAT_TIMESTAMP): formats epoch milliseconds with a pattern and optional time zone.")
              .Overload("(epochMilli BIGINT, format STRING) -> STRING", Returns(kString, millis_to_string))
              .Overload("(epochMilli BIGINT, format STRING, timezone STRING) -> STRING", Returns(kString, millis_to_string))
              .Overload("(timestamp TIMESTAMP, format STRING) -> STRING", Returns(kString, millis_to_string))
              .Overload("(timestamp TIMESTAMP, format STRING, timezone STRING) -> STRING", Returns(kString, millis_to_string))
              .Build());
  auto string_to_millis = [](const Args& a, EvalContext& ctx) -> Value {
    std::optional<int64_t> ms = ParseMillis(a, ctx);
    return ms ? Value(*ms) : Value();
  };
  reg.Add(FunctionBuilder("STRINGTOTIMESTAMP", "date/time",
                          "Deprecated (use PARSE_TIMESTAMP): parses a string into epoch milliseconds.")
              .Overload("(text STRING, format STRING) -> BIGINT", Returns(kBigInt, string_to_millis))
              .Overload("(text STRING, format STRING, timezone STRING) -> BIGINT", Returns(kBigInt, string_to_millis))
              .Build());

  reg.Add(FunctionBuilder("FORMAT_DATE", "date/time", "Formats a DATE with a Java DateTimeFormatter pattern.")
              .Overload("(date DATE, format STRING) -> STRING", Returns(kString, [](const Args& a, EvalContext& ctx) {
                return FormatDays(DaysOf(a[0]), a, ctx);
              }))
              .Build());
  reg.Add(FunctionBuilder("PARSE_DATE", "date/time", "Parses a string with a Java DateTimeFormatter pattern into a DATE.")
              .Overload("(text STRING, format STRING) -> DATE", Returns(kDate, [](const Args& a, EvalContext& ctx) -> Value {
                std::optional<int64_t> days = ParseDays(a, ctx);
                return days ? Value(Date{static_cast<int32_t>(*days)}) : Value();
              }))
              .Build());
  reg.Add(FunctionBuilder("DATETOSTRING", "date/time", "Deprecated (use FORMAT_DATE): formats days since the epoch.")
              .Overload("(days INTEGER, format STRING) -> STRING",
                        Returns(kString, [](const Args& a, EvalContext& ctx) { return FormatDays(AsInt(a[0]), a, ctx); }))
              .Build());
  reg.Add(FunctionBuilder("STRINGTODATE", "date/time", "Deprecated (use PARSE_DATE): parses a string into days since the epoch.")
              .Overload("(text STRING, format STRING) -> INTEGER", Returns(kInt, [](const Args& a, EvalContext& ctx) -> Value {
                std::optional<int64_t> days = ParseDays(a, ctx);
                return days ? Value(*days) : Value();
              }))
              .Build());

  reg.Add(FunctionBuilder("FORMAT_TIME", "date/time", "Formats a TIME with a Java DateTimeFormatter pattern.")
              .Overload("(time TIME, format STRING) -> STRING", Returns(kString, [](const Args& a, EvalContext& ctx) -> Value {
                const JavaTimeFormat* f = FormatArg(a[1], ctx);
                if (!f) return Value();
                int64_t ms = TimeMillisOf(a[0]);
                ZoneOffset utc{0, "UTC", false};
                return Value(f->Format(LocalDateTime::FromEpochSeconds(FloorDiv(ms, 1000), (ms % 1000) * 1'000'000),
                                       *UtcTimeZone(), utc));
              }))
              .Build());
  reg.Add(FunctionBuilder("PARSE_TIME", "date/time", "Parses a string with a Java DateTimeFormatter pattern into a TIME.")
              .Overload("(text STRING, format STRING) -> TIME", Returns(kTime, [](const Args& a, EvalContext& ctx) -> Value {
                const JavaTimeFormat* f = FormatArg(a[1], ctx);
                if (!f) return Value();
                Result<JavaTimeFormat::Parsed> p = f->Parse(a[0].as_string());
                if (!p.ok()) {
                  ctx.Fail(p.error().message());
                  return Value();
                }
                const LocalDateTime& t = p->local;
                return Value(Time{(t.hour * 3600 + t.minute * 60 + t.second) * 1000 + t.nanos / 1'000'000});
              }))
              .Build());

  reg.Add(FunctionBuilder("UNIX_TIMESTAMP", "date/time",
                          "The current time, or the given TIMESTAMP, as milliseconds since the epoch.")
              .Overload("() -> BIGINT", Returns(kBigInt, [](const Args&, EvalContext&) { return Value(NowMillis()); }))
              .Overload("(timestamp TIMESTAMP) -> BIGINT",
                        Returns(kBigInt, [](const Args& a, EvalContext&) { return Value(TimestampMillisOf(a[0])); }))
              .Build());
  reg.Add(FunctionBuilder("UNIX_DATE", "date/time", "Today (UTC), or the given DATE, as days since the epoch.")
              .Overload("() -> INTEGER",
                        Returns(kInt, [](const Args&, EvalContext&) { return Value(FloorDiv(NowMillis(), kMillisPerDay)); }))
              .Overload("(date DATE) -> INTEGER",
                        Returns(kInt, [](const Args& a, EvalContext&) { return Value(DaysOf(a[0])); }))
              .Build());
  reg.Add(FunctionBuilder("FROM_UNIXTIME", "date/time", "Milliseconds since the epoch as a TIMESTAMP.")
              .Overload("(milliseconds BIGINT) -> TIMESTAMP",
                        Returns(kTimestamp, [](const Args& a, EvalContext&) { return Value(Timestamp{AsInt(a[0])}); }))
              .Build());
  reg.Add(FunctionBuilder("FROM_DAYS", "date/time", "Days since the epoch as a DATE.")
              .Overload("(days INTEGER) -> DATE",
                        Returns(kDate, [](const Args& a, EvalContext&) { return Value(Date{static_cast<int32_t>(AsInt(a[0]))}); }))
              .Build());
  reg.Add(FunctionBuilder("CONVERT_TZ", "date/time",
                          "Shifts a TIMESTAMP by the difference between the offsets of two time zones at that instant.")
              .Overload("(timestamp TIMESTAMP, from_tz STRING, to_tz STRING) -> TIMESTAMP",
                        Returns(kTimestamp, [](const Args& a, EvalContext& ctx) -> Value {
                          const TimeZone* from = ZoneArg(a, 1, ctx);
                          const TimeZone* to = from ? ZoneArg(a, 2, ctx) : nullptr;
                          if (!to) return Value();
                          int64_t ms = TimestampMillisOf(a[0]);
                          int64_t utc = FloorDiv(ms, 1000);
                          int64_t shift = static_cast<int64_t>(to->OffsetAt(utc).seconds - from->OffsetAt(utc).seconds) * 1000;
                          return Value(Timestamp{ms + shift});
                        }))
              .Build());
}

}  // namespace pipeline::sql::scalar
