#include <doctest/doctest.h>

#include "formats/java_time_format.h"
#include "sql/functions/scalar/tests/call.h"

namespace pipeline::sql::scalar::testing {

namespace {

Arg Ts(int64_t ms) { return Typed(Value(Timestamp{ms}), SqlType::Of(TypeId::kTimestamp)); }
Arg Day(int32_t d) { return Typed(Value(Date{d}), SqlType::Of(TypeId::kDate)); }
Arg Tm(int64_t ms) { return Typed(Value(Time{ms}), SqlType::Of(TypeId::kTime)); }

}  // namespace

TEST_SUITE("sql.functions.datetime") {

TEST_CASE("time zones from the tz database") {
  auto la = FindTimeZone("America/Los_Angeles");
  REQUIRE(la.ok());
  CHECK((*la)->OffsetAt(1526075913).seconds == -7 * 3600);
  CHECK((*la)->OffsetAt(1526075913).abbreviation == "PDT");
  CHECK((*la)->OffsetAt(1514764800).abbreviation == "PST");
  CHECK((*la)->OffsetAt(4102444800).seconds == -8 * 3600);   // 2100-01-01: POSIX rule past the table
  CHECK((*la)->OffsetAt(4118083200).seconds == -7 * 3600);   // 2100-07-01
  CHECK(FindTimeZone("+05:30").ok());
  CHECK((*FindTimeZone("UTC+2"))->OffsetAt(0).seconds == 7200);
  CHECK((*FindTimeZone("PST"))->OffsetAt(1526075913).seconds == -7 * 3600);
  CHECK(!FindTimeZone("Mars/Olympus").ok());
  CHECK(!FindTimeZone("../etc/passwd").ok());
  // 2018-03-11 02:30 does not exist in Los Angeles (gap): java.time moves it to 03:30 PDT.
  CHECK((*la)->ToUtc(1520735400) == 1520764200);
  // 2018-11-04 01:30 happens twice: the earlier (PDT) offset wins.
  CHECK((*la)->ToUtc(1541295000) == 1541320200);
}

TEST_CASE("FORMAT_TIMESTAMP and TIMESTAMPTOSTRING") {
  CHECK(Eval("FORMAT_TIMESTAMP", {Ts(1526075913000), Str("yyyy-MM-dd HH:mm:ss zzz"), Str("America/Los_Angeles")}) ==
        Value("2018-05-11 14:58:33 PDT"));
  CHECK(Eval("TIMESTAMPTOSTRING", {Big(1526075913000), Str("yyyy-MM-dd HH:mm:ss zzz"), Str("Europe/London")}) ==
        Value("2018-05-11 22:58:33 BST"));
  CHECK(Eval("FORMAT_TIMESTAMP", {Ts(1526075913123), Str("yyyy-MM-dd'T'HH:mm:ss.SSSX")}) == Value("2018-05-11T21:58:33.123Z"));
  CHECK(Eval("FORMAT_TIMESTAMP", {Ts(0), Str("EEE, d MMM yyyy hh:mm a XXX"), Str("+05:30")}) ==
        Value("Thu, 1 Jan 1970 05:30 AM +05:30"));
  CHECK(Eval("FORMAT_TIMESTAMP", {Ts(-1), Str("yyyy-MM-dd HH:mm:ss.SSS")}) == Value("1969-12-31 23:59:59.999"));
  CallResult bad = Call("FORMAT_TIMESTAMP", {Ts(0), Str("yyyy"), Str("Nowhere/Zone")});
  CHECK(bad.value.is_null());
  CHECK(!bad.error.empty());
}

TEST_CASE("PARSE_TIMESTAMP and STRINGTOTIMESTAMP") {
  CHECK(Eval("PARSE_TIMESTAMP", {Str("2018-05-11T21:58:33"), Str("yyyy-MM-dd'T'HH:mm:ss")}) == Value(Timestamp{1526075913000}));
  CHECK(Eval("STRINGTOTIMESTAMP", {Str("2020-05-11T21:58:33Z"), Str("yyyy-MM-dd'T'HH:mm:ssX")}) == Value(int64_t{1589234313000}));
  CHECK(Eval("STRINGTOTIMESTAMP", {Str("2019-08-27T13:31:09.2+0000"), Str("yyyy-MM-dd'T'HH:mm:ss.SX")}) ==
        Value(int64_t{1566912669200}));
  CHECK(Eval("STRINGTOTIMESTAMP", {Str("2018-05-11 14:58:33"), Str("yyyy-MM-dd HH:mm:ss"), Str("America/Los_Angeles")}) ==
        Value(int64_t{1526075913000}));
  CHECK(Eval("PARSE_TIMESTAMP", {Str("2018-05-11 14:58:33 PDT"), Str("yyyy-MM-dd HH:mm:ss zzz")}) ==
        Value(Timestamp{1526075913000}));
  CHECK(Eval("PARSE_TIMESTAMP", {Str("20180511"), Str("yyyyMMdd")}) == Value(Timestamp{1525996800000}));
  CallResult bad = Call("PARSE_TIMESTAMP", {Str("not a timestamp"), Str("yyyy-MM-dd")});
  CHECK(bad.value.is_null());
  CHECK(bad.error.find("could not be parsed") != std::string::npos);
}

TEST_CASE("dates and times") {
  CHECK(Eval("FORMAT_DATE", {Day(17662), Str("yyyy-MM-dd")}) == Value("2018-05-11"));
  CHECK(Eval("FORMAT_DATE", {Day(18993), Str("dd-MMM-yyyy")}) == Value("01-Jan-2022"));
  CHECK(Eval("FORMAT_DATE", {Day(-1), Str("dd-MM-yyyy'Sophia'")}) == Value("31-12-1969Sophia"));
  CHECK(Eval("PARSE_DATE", {Str("2018-05-11Lit"), Str("yyyy-MM-dd'Lit'")}) == Value(Date{17662}));
  CHECK(Eval("PARSE_DATE", {Str("01-JAN-2022"), Str("dd-MMM-yyyy")}) == Value(Date{18993}));
  CHECK(Eval("PARSE_DATE", {Str("JAN-2022"), Str("MMM-yyyy")}) == Value(Date{18993}));
  CHECK(Eval("STRINGTODATE", {Str("11/05/2019"), Str("dd/MM/yyyy")}) == Value(int64_t{18027}));
  CHECK(Eval("DATETOSTRING", {Int(17662), Str("yyyy-MM-dd")}) == Value("2018-05-11"));
  CHECK(Eval("FORMAT_TIME", {Tm(65000), Str("HH_mm_ss_SSS")}) == Value("00_01_05_000"));
  CHECK(Eval("FORMAT_TIME", {Tm(1234567), Str("HHmmss'AAAAA'")}) == Value("002034AAAAA"));
  CHECK(Eval("PARSE_TIME", {Str("13:25"), Str("HH:mm")}) == Value(Time{48300000}));
  CHECK(Eval("PARSE_TIME", {Str("01:02:03 PM"), Str("hh:mm:ss a")}) == Value(Time{46923000}));
}

TEST_CASE("conversions") {
  CHECK(Eval("CONVERT_TZ", {Ts(100), Str("America/Los_Angeles"), Str("America/New_York")}) == Value(Timestamp{10800100}));
  CHECK(Eval("CONVERT_TZ", {Ts(1589234313000), Str("America/Los_Angeles"), Str("America/New_York")}) ==
        Value(Timestamp{1589245113000}));
  CHECK(Eval("FROM_UNIXTIME", {Big(100)}) == Value(Timestamp{100}));
  CHECK(Eval("FROM_DAYS", {Int(-10)}) == Value(Date{-10}));
  CHECK(Eval("UNIX_TIMESTAMP", {Ts(100)}) == Value(int64_t{100}));
  CHECK(Eval("UNIX_DATE", {Day(10)}) == Value(int64_t{10}));
  CHECK(Eval("UNIX_TIMESTAMP", {}).as_int() > 1600000000000);
  CHECK(Eval("UNIX_DATE", {}).as_int() > 18000);
}

TEST_CASE("temporal arguments in their wire form are accepted") {
  // A decoder may hand over a TIMESTAMP as epoch millis, a DATE as days, or ISO text.
  CHECK(Eval("CONVERT_TZ", {Typed(Value(int64_t{100}), SqlType::Of(TypeId::kTimestamp)), Str("America/Los_Angeles"),
                            Str("America/New_York")}) == Value(Timestamp{10800100}));
  CHECK(Eval("UNIX_DATE", {Typed(Value(int64_t{10}), SqlType::Of(TypeId::kDate))}) == Value(int64_t{10}));
  CHECK(Eval("UNIX_TIMESTAMP", {Typed(Value("1970-01-01T00:00:00.100"), SqlType::Of(TypeId::kTimestamp))}) ==
        Value(int64_t{100}));
  CallResult bad = Call("UNIX_DATE", {Typed(Value(true), SqlType::Of(TypeId::kDate))});
  CHECK(bad.value.is_null());
  CHECK(!bad.error.empty());
}

TEST_CASE("date/time arithmetic") {
  CHECK(Eval("DATEADD", {Str("DAYS"), Int(10), Day(10)}) == Value(Date{20}));
  CHECK(Eval("DATESUB", {Str("DAYS"), Int(10), Day(5)}) == Value(Date{-5}));
  CHECK(Eval("DATEADD", {Str("HOURS"), Int(36), Day(0)}) == Value(Date{1}));
  CHECK(Eval("TIMESTAMPADD", {Str("MILLISECONDS"), Int(10), Ts(10)}) == Value(Timestamp{20}));
  CHECK(Eval("TIMESTAMPSUB", {Str("minutes"), Int(1), Ts(60000)}) == Value(Timestamp{0}));
  CHECK(Eval("TIMEADD", {Str("HOURS"), Int(2), Tm(23 * 3600000)}) == Value(Time{3600000}));
  CHECK(Eval("TIMESUB", {Str("SECONDS"), Int(1), Tm(0)}) == Value(Time{86399000}));
  CHECK(Call("DATEADD", {Day(1), Int(5), Day(1)}).error.find("Function 'DATEADD' does not accept parameters (DATE, INTEGER, DATE).") == 0);
  CHECK(Call("TIMESTAMPSUB", {Ts(1), Int(5), Ts(1)}).error.find("does not accept parameters (TIMESTAMP, INTEGER, TIMESTAMP).") !=
        std::string::npos);
}

}  // TEST_SUITE

}  // namespace pipeline::sql::scalar::testing
