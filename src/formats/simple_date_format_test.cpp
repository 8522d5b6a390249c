// JavaTimeFormat in SimpleDateFormat style, as TimestampConverter and TimestampRouter use it.
#include <doctest/doctest.h>

#include "formats/java_time_format.h"

namespace pipeline {
namespace {
constexpr int64_t kT = 1700000000123;  // 2023-11-14T22:13:20.123Z, a Tuesday

Result<std::shared_ptr<const JavaTimeFormat>> Compile(const char* pattern) {
  return JavaTimeFormat::Compile(pattern, JavaPatternStyle::kSimpleDateFormat);
}

std::string Fmt(const char* pattern, int64_t ms = kT) {
  auto f = Compile(pattern);
  REQUIRE_MESSAGE(f.ok(), f.error().message());
  return (*f)->FormatEpochMillis(ms, *UtcTimeZone());
}

Result<int64_t> Parse(const char* pattern, std::string_view text) {
  auto f = Compile(pattern);
  REQUIRE(f.ok());
  return (*f)->ParseEpochMillis(text, *UtcTimeZone());
}

int64_t ParseOk(const char* pattern, const char* text) {
  auto r = Parse(pattern, text);
  REQUIRE_MESSAGE(r.ok(), r.error().message());
  return *r;
}
}  // namespace

TEST_SUITE("formats.simple_date_format") {
  TEST_CASE("formats like SimpleDateFormat in UTC") {
    CHECK(Fmt("yyyyMMdd") == "20231114");
    CHECK(Fmt("yyyy-MM-dd HH:mm:ss.SSS") == "2023-11-14 22:13:20.123");
    CHECK(Fmt("yyyy-MM-dd'T'HH:mm:ss.SSSX") == "2023-11-14T22:13:20.123Z");
    CHECK(Fmt("yyyy-MM-dd'T'HH:mm:ssZ") == "2023-11-14T22:13:20+0000");
    CHECK(Fmt("EEE, d MMM yy h:mm a") == "Tue, 14 Nov 23 10:13 PM");
    CHECK(Fmt("EEEE MMMM D") == "Tuesday November 318");
    CHECK(Fmt("'week''s' yyyy") == "week's 2023");
    CHECK(Fmt("yyyy-MM-dd", -1) == "1969-12-31");
  }

  TEST_CASE("parses what it formats") {
    for (const char* p : {"yyyyMMddHHmmssSSS", "yyyy-MM-dd'T'HH:mm:ss.SSSX", "yyyy-MM-dd HH:mm:ss.SSS Z",
                          "EEE, dd MMM yyyy hh:mm:ss.SSS a"}) {
      auto back = Parse(p, Fmt(p));
      REQUIRE_MESSAGE(back.ok(), back.error().message());
      CHECK_MESSAGE(*back == kT, p);
    }
    CHECK(ParseOk("yyyy-MM-dd", "1970-01-02") == 86'400'000);
    CHECK(ParseOk("yyyy-MM-dd'T'HH:mm:ssXXX", "1970-01-01T01:00:00+01:00") == 0);
    CHECK(ParseOk("yyyy-MM-dd'T'HH:mm:ssZ", "1970-01-01T00:00:00-0130") == 5'400'000);
    CHECK(ParseOk("d/M/yyyy", "2/1/1970") == 86'400'000);
  }

  TEST_CASE("bad input and bad patterns") {
    CHECK_FALSE(Parse("yyyy-MM-dd", "2023/11/14").ok());
    CHECK_FALSE(Parse("yyyy-MM-dd", "2023-13-14").ok());
    CHECK_FALSE(Parse("yyyy-MM-dd", "2023-02-30").ok());
    CHECK_FALSE(Parse("yyyy-MM-dd", "2023-11-14x").ok());
    CHECK(Parse("yyyy-MM-dd", "abc").error().kind() == ErrorKind::kData);
    CHECK(Compile("yyyy-ww").error().kind() == ErrorKind::kConfig);
    CHECK_FALSE(Compile("'open").ok());
  }
  // One implementation, two of Java's pattern languages: where SimpleDateFormat and DateTimeFormatter read a
  // letter differently, each style keeps its own class's meaning.
  TEST_CASE("SimpleDateFormat and DateTimeFormatter differ where Java's classes do") {
    auto dtf = [](const char* pattern, int64_t ms = kT) {
      auto f = JavaTimeFormat::Compile(pattern);
      REQUIRE_MESSAGE(f.ok(), f.error().message());
      return (*f)->FormatEpochMillis(ms, *UtcTimeZone());
    };
    CHECK(Fmt("u") == "2");  // day of the week (Tuesday)
    CHECK(dtf("u") == "2023");  // year
    CHECK(Fmt("ss.S") == "20.123");  // milliseconds
    CHECK(dtf("ss.S") == "20.1");  // fraction of the second
    CHECK(Fmt("ss.SSSS") == "20.0123");
    CHECK(dtf("ss.SSSS") == "20.1230");
    CHECK(Fmt("zzzz") == "Coordinated Universal Time");
    CHECK(Fmt("ZZZZZ") == "+0000");
    CHECK(dtf("ZZZZZ") == "Z");
    CHECK(dtf("yyyy-MM-dd HH:mm:ss.SSS") == Fmt("yyyy-MM-dd HH:mm:ss.SSS"));
    CHECK(ParseOk("yy-MM-dd", "69-01-01") == ParseOk("yyyy-MM-dd", "2069-01-01"));
    CHECK(ParseOk("yy-MM-dd", "70-01-01") == 0);  // SimpleDateFormat's century window
    auto f = JavaTimeFormat::Compile("yy-MM-dd");
    REQUIRE(f.ok());
    CHECK(*(*f)->ParseEpochMillis("70-01-01", *UtcTimeZone()) == ParseOk("yyyy-MM-dd", "2070-01-01"));
    CHECK(JavaTimeFormat::Compile("yyyy-ww").error().kind() == ErrorKind::kData);  // ksqlDB's wording, not Connect's
  }
}

}  // namespace pipeline
