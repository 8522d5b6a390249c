#include "transforms/common/java_date_format.h"

#include <doctest/doctest.h>

namespace pipeline {
namespace {
constexpr int64_t kT = 1700000000123;  // 2023-11-14T22:13:20.123Z, a Tuesday

std::string Fmt(const char* pattern, int64_t ms = kT) {
  auto f = JavaDateFormat::Compile(pattern);
  REQUIRE_MESSAGE(f.ok(), f.error().message());
  return f->Format(ms);
}

int64_t ParseOk(const char* pattern, const char* text) {
  auto f = JavaDateFormat::Compile(pattern);
  REQUIRE(f.ok());
  auto r = f->Parse(text);
  REQUIRE_MESSAGE(r.ok(), r.error().message());
  return *r;
}
}  // namespace

TEST_SUITE("transforms.java_date_format") {
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
      auto f = JavaDateFormat::Compile(p);
      REQUIRE(f.ok());
      auto back = f->Parse(f->Format(kT));
      REQUIRE_MESSAGE(back.ok(), back.error().message());
      CHECK_MESSAGE(*back == kT, p);
    }
    CHECK(ParseOk("yyyy-MM-dd", "1970-01-02") == 86'400'000);
    CHECK(ParseOk("yyyy-MM-dd'T'HH:mm:ssXXX", "1970-01-01T01:00:00+01:00") == 0);
    CHECK(ParseOk("yyyy-MM-dd'T'HH:mm:ssZ", "1970-01-01T00:00:00-0130") == 5'400'000);
    CHECK(ParseOk("d/M/yyyy", "2/1/1970") == 86'400'000);
  }

  TEST_CASE("bad input and bad patterns") {
    auto f = JavaDateFormat::Compile("yyyy-MM-dd");
    REQUIRE(f.ok());
    CHECK_FALSE(f->Parse("2023/11/14").ok());
    CHECK_FALSE(f->Parse("2023-13-14").ok());
    CHECK_FALSE(f->Parse("2023-02-30").ok());
    CHECK_FALSE(f->Parse("2023-11-14x").ok());
    CHECK(f->Parse("abc").error().kind() == ErrorKind::kData);
    CHECK_FALSE(JavaDateFormat::Compile("yyyy-ww").ok());
    CHECK_FALSE(JavaDateFormat::Compile("'open").ok());
  }
}

}  // namespace pipeline
