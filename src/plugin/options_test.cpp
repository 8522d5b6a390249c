#include <doctest/doctest.h>

#include <cstdint>

#include "plugin/option_text.h"
#include "plugin/options.h"

using namespace pipeline;

TEST_SUITE("plugin.options") {
  TEST_CASE("numbers in option text are range-checked") {
    CHECK(ParseInt64("9223372036854775807") == INT64_MAX);
    CHECK(ParseInt64("-12") == -12);
    CHECK_FALSE(ParseInt64("99999999999999999999"));
    CHECK_FALSE(ParseInt64("12abc"));
    CHECK_FALSE(ParseInt64(""));
    CHECK(IsIntegerText("99999999999999999999"));
    CHECK(ParseFiniteDouble("2.5") == 2.5);
    CHECK_FALSE(ParseFiniteDouble("1e400"));
    CHECK_FALSE(ParseFiniteDouble("inf"));
    CHECK_FALSE(ParseFiniteDouble("nan"));
    CHECK(ParseDurationMs("2s") == 2000);
    CHECK_FALSE(ParseDurationMs("1e400s"));
    CHECK_FALSE(ParseDurationMs("99999999999999999999d"));
  }
}
