// Civil dates: the proleptic Gregorian calendar (java.time's IsoChronology) over days since 1970-01-01, the
// representation of DATE values and of the date part of TIMESTAMP millis. The calendar is std::chrono's; these
// wrappers take the 400-year cycle out first, so years beyond std::chrono::year's +-32767 work as in java.time.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace pipeline {

struct CivilDate {
  int64_t year = 1970;
  unsigned month = 1;  // 1-12
  unsigned day = 1;    // 1-31
};

// a / b rounded towards negative infinity: the epoch day of negative millis is the one before, not after.
constexpr int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

CivilDate CivilFromDays(int64_t epoch_day);
// A day past the month's last counts on into the next month (2021-02-30 is 2021-03-02); check with IsValidDate.
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day);
bool IsValidDate(int64_t year, unsigned month, unsigned day);
bool IsLeapYear(int64_t year);
unsigned DaysInMonth(int64_t year, unsigned month);
std::chrono::weekday WeekdayOf(int64_t epoch_day);

// 2021-03-04, as java.time's LocalDate.toString prints four-digit years.
std::string IsoDate(int64_t epoch_day);
// 2021-03-04T10:11:12.000 (UTC, always with millis), as ksqlDB prints TIMESTAMP values.
std::string IsoTimestamp(int64_t epoch_millis);

}  // namespace pipeline
