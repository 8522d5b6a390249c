// DATEADD/DATESUB, TIMEADD/TIMESUB, TIMESTAMPADD/TIMESTAMPSUB. The unit is ksqlDB's time unit keyword
// (MILLISECONDS, SECONDS, MINUTES, HOURS, DAYS, also NANOSECONDS/MICROSECONDS), passed by the SQL engine as a
// STRING argument. DATE arithmetic works in whole days (smaller units truncate, like TimeUnit.toDays); TIME
// wraps around midnight.
#include <strings.h>

#include <optional>

#include "sql/functions/scalar/families.h"
#include "sql/functions/scalar/signature.h"
#include "sql/functions/scalar/temporal_literal.h"
#include "sql/functions/scalar/value_access.h"

namespace pipeline::sql::scalar {

namespace {

// Nanoseconds per unit; nullopt for an unknown unit.
std::optional<int64_t> UnitNanos(const std::string& unit) {
  struct Entry {
    const char* name;
    int64_t nanos;
  };
  static constexpr Entry kUnits[] = {
      {"NANOSECONDS", 1},          {"NANOSECOND", 1},          {"MICROSECONDS", 1'000},      {"MICROSECOND", 1'000},
      {"MILLISECONDS", 1'000'000}, {"MILLISECOND", 1'000'000}, {"SECONDS", 1'000'000'000},   {"SECOND", 1'000'000'000},
      {"MINUTES", 60'000'000'000}, {"MINUTE", 60'000'000'000}, {"HOURS", 3'600'000'000'000}, {"HOUR", 3'600'000'000'000},
      {"DAYS", 86'400'000'000'000}, {"DAY", 86'400'000'000'000}};
  for (const Entry& e : kUnits)
    if (strcasecmp(unit.c_str(), e.name) == 0) return e.nanos;
  return std::nullopt;
}

enum class Target { kDate, kTime, kTimestamp };

// The interval converted to the target's resolution (days, millis, millis), truncating like TimeUnit.toX.
std::optional<int64_t> Amount(const Args& a, Target target, bool subtract, EvalContext& ctx) {
  std::optional<int64_t> unit_nanos = UnitNanos(a[0].as_string());
  if (!unit_nanos) {
    ctx.Fail("Unknown time unit '" + a[0].as_string() + "'; use one of NANOSECONDS, MICROSECONDS, MILLISECONDS, "
             "SECONDS, MINUTES, HOURS, DAYS");
    return std::nullopt;
  }
  int64_t interval = AsInt(a[1]);
  int64_t per = target == Target::kDate ? 86'400'000'000'000 : 1'000'000;
  __int128 amount = static_cast<__int128>(interval) * *unit_nanos / per;
  return static_cast<int64_t>(subtract ? -amount : amount);
}

ImplFactory Arithmetic(Target target, bool subtract) {
  TypeId type = target == Target::kDate ? TypeId::kDate : target == Target::kTime ? TypeId::kTime : TypeId::kTimestamp;
  return Returns(T(type), [target, subtract](const Args& a, EvalContext& ctx) -> Value {
    std::optional<int64_t> amount = Amount(a, target, subtract, ctx);
    if (!amount) return Value();
    switch (target) {
      case Target::kDate: return Value(Date{static_cast<int32_t>(DaysOf(a[2]) + *amount)});
      case Target::kTime: {
        constexpr int64_t kDay = 86'400'000;
        return Value(Time{((TimeMillisOf(a[2]) + *amount) % kDay + kDay) % kDay});
      }
      case Target::kTimestamp: return Value(Timestamp{TimestampMillisOf(a[2]) + *amount});
    }
    return Value();
  });
}

}  // namespace

void RegisterDateTimeArithmetic(ScalarFunctionRegistry& reg) {
  reg.Add(FunctionBuilder("DATEADD", "date/time", "Adds an interval of a time unit to a DATE (e.g. DATEADD(DAYS, 10, d)).")
              .Overload("(unit STRING, interval INTEGER, date DATE) -> DATE", Arithmetic(Target::kDate, false))
              .Build());
  reg.Add(FunctionBuilder("DATESUB", "date/time", "Subtracts an interval of a time unit from a DATE.")
              .Overload("(unit STRING, interval INTEGER, date DATE) -> DATE", Arithmetic(Target::kDate, true))
              .Build());
  reg.Add(FunctionBuilder("TIMEADD", "date/time", "Adds an interval of a time unit to a TIME, wrapping around midnight.")
              .Overload("(unit STRING, interval INTEGER, time TIME) -> TIME", Arithmetic(Target::kTime, false))
              .Build());
  reg.Add(FunctionBuilder("TIMESUB", "date/time", "Subtracts an interval of a time unit from a TIME, wrapping around midnight.")
              .Overload("(unit STRING, interval INTEGER, time TIME) -> TIME", Arithmetic(Target::kTime, true))
              .Build());
  reg.Add(FunctionBuilder("TIMESTAMPADD", "date/time", "Adds an interval of a time unit to a TIMESTAMP.")
              .Overload("(unit STRING, interval BIGINT, timestamp TIMESTAMP) -> TIMESTAMP", Arithmetic(Target::kTimestamp, false))
              .Build());
  reg.Add(FunctionBuilder("TIMESTAMPSUB", "date/time", "Subtracts an interval of a time unit from a TIMESTAMP.")
              .Overload("(unit STRING, interval BIGINT, timestamp TIMESTAMP) -> TIMESTAMP", Arithmetic(Target::kTimestamp, true))
              .Build());
}

}  // namespace pipeline::sql::scalar
