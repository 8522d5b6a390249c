#include "testing/base64.h"

#include <doctest/doctest.h>

namespace pipeline::testing {

TEST_SUITE("testing") {
  TEST_CASE("base64 round-trips every padding length") {
    CHECK(EncodeBase64("") == "");
    CHECK(EncodeBase64("!") == "IQ==");
    CHECK(EncodeBase64("ab") == "YWI=");
    CHECK(EncodeBase64("abc") == "YWJj");
    CHECK(*DecodeBase64("IQ==") == "!");
    CHECK(*DecodeBase64("YWI=") == "ab");
    CHECK(*DecodeBase64("YWJjZA==") == "abcd");
  }
  TEST_CASE("base64 rejects characters outside the alphabet") {
    CHECK_FALSE(DecodeBase64("a b").has_value());
    CHECK_FALSE(DecodeBase64("Y").has_value());
  }
}

}  // namespace pipeline::testing
