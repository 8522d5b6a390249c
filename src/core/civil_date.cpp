#include "core/civil_date.h"

#include <cstdio>

namespace pipeline {

namespace {

// The Gregorian calendar repeats every 400 years, which are 146097 days.
constexpr int64_t kYearsPerCycle = 400;
constexpr int64_t kDaysPerCycle = 146097;

std::chrono::year CycleYear(int64_t year) {
  return std::chrono::year{static_cast<int>(year - FloorDiv(year, kYearsPerCycle) * kYearsPerCycle)};
}

}  // namespace

CivilDate CivilFromDays(int64_t epoch_day) {
  using namespace std::chrono;
  int64_t cycle = FloorDiv(epoch_day, kDaysPerCycle);
  const year_month_day ymd{sys_days{days{epoch_day - cycle * kDaysPerCycle}}};  // 1970 to 2369
  return {static_cast<int>(ymd.year()) + cycle * kYearsPerCycle, static_cast<unsigned>(ymd.month()),
          static_cast<unsigned>(ymd.day())};
}

int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day) {
  using namespace std::chrono;
  int64_t cycle = FloorDiv(year, kYearsPerCycle);
  const sys_days in_cycle{CycleYear(year) / std::chrono::month{month} / std::chrono::day{day}};
  return in_cycle.time_since_epoch().count() + cycle * kDaysPerCycle;
}

bool IsValidDate(int64_t year, unsigned month, unsigned day) {
  return (CycleYear(year) / std::chrono::month{month} / std::chrono::day{day}).ok();
}

bool IsLeapYear(int64_t year) { return CycleYear(year).is_leap(); }

unsigned DaysInMonth(int64_t year, unsigned month) {
  using namespace std::chrono;
  return static_cast<unsigned>(year_month_day_last{CycleYear(year), month_day_last{std::chrono::month{month}}}.day());
}

std::chrono::weekday WeekdayOf(int64_t epoch_day) {
  return std::chrono::weekday{std::chrono::sys_days{std::chrono::days{epoch_day}}};
}

std::string IsoDate(int64_t epoch_day) {
  CivilDate d = CivilFromDays(epoch_day);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(d.year), d.month, d.day);
  return buf;
}

std::string IsoTimestamp(int64_t epoch_millis) {
  constexpr int64_t kMillisPerDay = 86'400'000;
  int64_t day = FloorDiv(epoch_millis, kMillisPerDay);
  int64_t millis = epoch_millis - day * kMillisPerDay;
  int64_t seconds = millis / 1000;
  char buf[32];
  std::snprintf(buf, sizeof buf, "T%02lld:%02lld:%02lld.%03lld", static_cast<long long>(seconds / 3600),
                static_cast<long long>(seconds / 60 % 60), static_cast<long long>(seconds % 60),
                static_cast<long long>(millis % 1000));
  return IsoDate(day) + buf;
}

}  // namespace pipeline
