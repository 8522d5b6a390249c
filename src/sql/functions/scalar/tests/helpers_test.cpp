#include <doctest/doctest.h>

#include "sql/functions/scalar/java_text.h"
#include "formats/java_time_format.h"
#include "sql/functions/scalar/text_encoding.h"

namespace pipeline::sql::scalar {

TEST_SUITE("sql.functions.helpers") {

TEST_CASE("doubles print like Java's Double.toString") {
  CHECK(JavaDoubleString(1.0) == "1.0");
  CHECK(JavaDoubleString(100.0) == "100.0");
  CHECK(JavaDoubleString(123.456) == "123.456");
  CHECK(JavaDoubleString(-0.5) == "-0.5");
  CHECK(JavaDoubleString(0.001) == "0.001");
  CHECK(JavaDoubleString(1e-4) == "1.0E-4");
  CHECK(JavaDoubleString(1234567.0) == "1234567.0");
  CHECK(JavaDoubleString(1e7) == "1.0E7");
  CHECK(JavaDoubleString(1.2345e21) == "1.2345E21");
  CHECK(JavaDoubleString(0.0) == "0.0");
}

TEST_CASE("base64 and hex") {
  CHECK(Base64Encode("yes") == "eWVz");
  CHECK(Base64Encode("no") == "bm8=");
  CHECK(*Base64Decode("bm9ub255ZXM=") == "nononyes");
  CHECK(!Base64Decode("b$").has_value());
  CHECK(HexEncode("\x1a\xb2", true) == "1AB2");
}

TEST_CASE("java time patterns") {
  auto f = JavaTimeFormat::Compile("yyyy-MM-dd'T'HH:mm:ss.SSS");
  REQUIRE(f.ok());
  CHECK((*f)->FormatEpochMillis(1526075913123, *UtcTimeZone()) == "2018-05-11T21:58:33.123");
  CHECK(!JavaTimeFormat::Compile("yyyy-MM-dd'T").ok());
  CHECK(!JavaTimeFormat::Compile("bb").ok());
  auto optional = JavaTimeFormat::Compile("yyyy-MM-dd[ HH:mm]");
  REQUIRE(optional.ok());
  CHECK(*(*optional)->ParseEpochMillis("2018-05-11", *UtcTimeZone()) == 1525996800000);
  CHECK(*(*optional)->ParseEpochMillis("2018-05-11 01:00", *UtcTimeZone()) == 1526000400000);
  auto quoted = JavaTimeFormat::Compile("''yy''");
  REQUIRE(quoted.ok());
  CHECK((*quoted)->FormatEpochMillis(0, *UtcTimeZone()) == "'70'");
  CHECK(*(*quoted)->ParseEpochMillis("'18'", *UtcTimeZone()) == 1514764800000);
}

}  // TEST_SUITE

}  // namespace pipeline::sql::scalar
