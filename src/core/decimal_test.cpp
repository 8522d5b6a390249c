#include <doctest/doctest.h>

#include <cmath>

#include "core/decimal.h"

namespace pipeline {

TEST_SUITE("core.decimal") {

TEST_CASE("decimal rounding modes") {
  Decimal d = *ParseDecimal("-1.25");
  CHECK(Rescale(d, 1, RoundingMode::kHalfUp).ToString() == "-1.3");
  CHECK(Rescale(d, 1).ToString() == "-1.3");  // HALF_UP unless told otherwise, as ksqlDB's arithmetic
  CHECK(Rescale(d, 1, RoundingMode::kHalfDown).ToString() == "-1.2");
  CHECK(Rescale(d, 0, RoundingMode::kFloor).ToString() == "-2");
  CHECK(Rescale(d, 0, RoundingMode::kCeiling).ToString() == "-1");
  CHECK(Rescale(d, 3, RoundingMode::kDown).ToString() == "-1.250");
  CHECK(Rescale(*ParseDecimal("1234.5"), -2).ToString() == "12");  // unscaled 12 at scale -2: 1200
  CHECK(Rescale(*ParseDecimal("1.5"), -40).unscaled == 0);
}

TEST_CASE("rescaling keeps the declared precision") {
  Decimal d{12345, 10, 2};
  CHECK(Rescale(d, 1).precision == 10);
  CHECK(FitDecimal(d, 4, 1)->precision == 4);
  CHECK(FitDecimal(d, 4, 1)->ToString() == "123.5");
  CHECK_FALSE(FitDecimal(d, 3, 1));
}

TEST_CASE("parsing follows new BigDecimal(text)") {
  CHECK(ParseDecimal("1.50")->ToString() == "1.50");
  CHECK(ParseDecimal("+.5")->ToString() == "0.5");
  CHECK(ParseDecimal("-7.")->ToString() == "-7");
  CHECK(ParseDecimal("1.5E3")->ToString() == "1500");
  CHECK(ParseDecimal("1.5e+3")->ToString() == "1500");
  CHECK(ParseDecimal("15e-3")->ToString() == "0.015");
  CHECK(ParseDecimal("1.0E7")->ToString() == "10000000");  // Java's Double.toString form
  CHECK(ParseDecimal("0.05")->precision == 2);
  for (const char* bad : {"", "-", ".", "1e", "1e+", "e5", "1.2.3", " 1", "1 ", "1x", "0x10"})
    CHECK_MESSAGE(!ParseDecimal(bad), bad);
  // 38 digits fit in 128 bits; 39 do not, and are refused rather than wrapped.
  CHECK(ParseDecimal("99999999999999999999999999999999999999")->ToString() ==
        "99999999999999999999999999999999999999");
  CHECK_FALSE(ParseDecimal("999999999999999999999999999999999999999"));
  CHECK_FALSE(ParseDecimal("1e39"));
  CHECK(ParseDecimal("0000000000000000000000000000000000000000001")->ToString() == "1");
}

TEST_CASE("doubles to decimals as BigDecimal.valueOf") {
  CHECK(DecimalValueOf(0.1)->ToString() == "0.1");
  CHECK(DecimalValueOf(3.0)->ToString() == "3.0");
  CHECK_FALSE(DecimalValueOf(std::nan("")));
  CHECK(DecimalFromDouble(0.125, 2).ToString() == "0.13");
  CHECK(DecimalFromDouble(8461.3192138671875, 16).ToString() == "8461.3192138671875000");  // the binary value
  CHECK(DecimalFromDouble(-0.125, 2).ToString() == "-0.13");
  CHECK(DecimalFromDouble(2.0, 3).ToString() == "2.000");
}

TEST_CASE("comparison is by value, not representation") {
  CHECK(CompareDecimal(*ParseDecimal("1.10"), *ParseDecimal("1.1")) == 0);
  CHECK(CompareDecimal(*ParseDecimal("-2"), *ParseDecimal("1.1")) < 0);
  CHECK(CompareDecimal(*ParseDecimal("1e-35"), *ParseDecimal("1")) < 0);  // scales 35 apart: no overflow
  CHECK(Pow10(0) == 1);
  CHECK(Pow10(18) == 1'000'000'000'000'000'000);
  CHECK(DigitCount(0) == 1);
  CHECK(DigitCount(-999) == 3);
  CHECK(DigitCount(Pow10(38)) == 39);
}

}  // TEST_SUITE

}  // namespace pipeline
