#include <doctest/doctest.h>

#include "core/civil_date.h"

namespace pipeline {

TEST_SUITE("core.civil_date") {

TEST_CASE("epoch days and civil dates") {
  CHECK(DaysFromCivil(1970, 1, 1) == 0);
  CHECK(DaysFromCivil(2000, 3, 1) == 11017);
  CHECK(DaysFromCivil(1969, 12, 31) == -1);
  CHECK(DaysFromCivil(1, 1, 1) == -719162);  // java.time: LocalDate.of(1, 1, 1).toEpochDay()
  CHECK(DaysFromCivil(0, 1, 1) == -719528);
  CHECK(DaysFromCivil(-1, 12, 31) == -719529);
  CHECK(IsoDate(0) == "1970-01-01");
  CHECK(IsoDate(19000) == "2022-01-08");
  CHECK(IsoDate(-1) == "1969-12-31");
  CHECK(IsoDate(DaysFromCivil(2024, 2, 29)) == "2024-02-29");
  CHECK(DaysFromCivil(2021, 2, 30) == DaysFromCivil(2021, 3, 2));  // counts on into March
  CHECK(IsoTimestamp(0) == "1970-01-01T00:00:00.000");
  CHECK(IsoTimestamp(1'614'852'672'005) == "2021-03-04T10:11:12.005");
  CHECK(IsoTimestamp(-1) == "1969-12-31T23:59:59.999");
}

TEST_CASE("years past std::chrono::year's range") {
  // java.time: LocalDate.of(100000, 1, 1).toEpochDay() and LocalDate.of(-100000, 1, 1).toEpochDay()
  CHECK(DaysFromCivil(100000, 1, 1) == 35804722);
  CHECK(DaysFromCivil(-100000, 1, 1) == -37243778);
  CivilDate d = CivilFromDays(35804722 + 60);  // 100000 is a leap year: Jan 31 + Feb 29 days
  CHECK(d.year == 100000);
  CHECK(d.month == 3);
  CHECK(d.day == 1);
  CHECK(CivilFromDays(-37243778).year == -100000);
}

TEST_CASE("every day of two 400-year cycles reads back") {
  int64_t first = DaysFromCivil(1600, 1, 1), last = DaysFromCivil(2400, 1, 1);
  CivilDate previous = CivilFromDays(first - 1);
  for (int64_t day = first; day < last; ++day) {
    CivilDate d = CivilFromDays(day);
    REQUIRE(DaysFromCivil(d.year, d.month, d.day) == day);
    REQUIRE(IsValidDate(d.year, d.month, d.day));
    bool next_day = d.day == previous.day + 1 && d.month == previous.month;
    bool next_month = d.day == 1 && previous.day == DaysInMonth(previous.year, previous.month);
    REQUIRE((next_day || next_month));
    previous = d;
  }
}

TEST_CASE("leap years, month lengths and weekdays") {
  CHECK(IsLeapYear(2000));
  CHECK_FALSE(IsLeapYear(1900));
  CHECK(IsLeapYear(2024));
  CHECK(IsLeapYear(-4));
  CHECK_FALSE(IsLeapYear(-100));
  CHECK(DaysInMonth(2023, 2) == 28);
  CHECK(DaysInMonth(2024, 2) == 29);
  CHECK(DaysInMonth(2024, 12) == 31);
  CHECK_FALSE(IsValidDate(2023, 2, 29));
  CHECK_FALSE(IsValidDate(2023, 13, 1));
  CHECK(WeekdayOf(0) == std::chrono::Thursday);
  CHECK(WeekdayOf(-1) == std::chrono::Wednesday);
  CHECK(WeekdayOf(DaysFromCivil(2024, 6, 3)).iso_encoding() == 1);  // a Monday
  CHECK(FloorDiv(-1, 86400000) == -1);
  CHECK(FloorDiv(86400000, 86400000) == 1);
}

}  // TEST_SUITE

}  // namespace pipeline
