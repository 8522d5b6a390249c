#include <doctest/doctest.h>

#include <cmath>

#include "core/decimal.h"
#include "sql/functions/aggregate_function.h"
#include "sql/functions/scalar/tests/call.h"

namespace pipeline::sql::scalar::testing {

namespace {

Arg Dec(const char* text, int precision, int scale) {
  Decimal d = *ParseDecimal(text);
  d = Rescale(d, scale, RoundingMode::kDown);
  d.precision = precision;
  return Typed(Value(d), SqlType::Decimal(precision, scale));
}

std::string DecText(const Value& v) { return v.is_decimal() ? v.as_decimal().ToString() : "not a decimal"; }

}  // namespace

TEST_SUITE("sql.functions.math") {

TEST_CASE("ROUND of doubles rounds ties up") {
  CHECK(Eval("ROUND", {Dbl(1.5)}) == Value(int64_t{2}));
  CHECK(Eval("ROUND", {Dbl(-1.5)}) == Value(int64_t{-1}));
  CHECK(Eval("ROUND", {Dbl(-1.7)}) == Value(int64_t{-2}));
  CHECK(Call("ROUND", {Dbl(1.5)}).type == SqlType::Of(TypeId::kBigInt));
  CHECK(Eval("ROUND", {Dbl(-1.5), Int(0)}) == Value(-1.0));
  CHECK(Eval("ROUND", {Dbl(1.234567), Int(2)}) == Value(1.23));
  CHECK(Eval("ROUND", {Dbl(12345.678), Int(-1)}) == Value(12350.0));
  CHECK(Eval("ROUND", {Dbl(-12345.678), Int(-2)}) == Value(-12300.0));
  CHECK(Eval("ROUND", {Dbl(-12345.678), Int(1)}) == Value(-12345.7));
  CHECK(Eval("ROUND", {Dbl(1.2), Int(-1)}) == Value(0.0));
  CHECK(Eval("ROUND", {Int(3)}) == Value(int64_t{3}));
}

// SUM (like CAST and arithmetic) and ROUND share core/decimal.h's Rescale. A positive tie goes up in both; a
// negative one goes away from zero in SUM (BigDecimal HALF_UP, ksqlDB's DecimalUtil) and towards +infinity in
// ROUND (ksqlDB's Round UDF: HALF_DOWN below zero).
TEST_CASE("SUM and ROUND round decimal ties alike") {
  auto sum = [](const char* text) {
    const AggregateFunctionSpec* spec = BuiltinAggregateFunctions().Find("SUM");
    REQUIRE(spec != nullptr);
    Result<BoundAggregate> bound = spec->bind({SqlType::Decimal(10, 1)}, {});
    REQUIRE(bound.ok());
    std::unique_ptr<Accumulator> acc = bound->make();
    acc->Add({Value(*ParseDecimal(text))});  // a value of scale 2 into a sum of scale 1
    return DecText(acc->Result());
  };
  CHECK(sum("1.25") == "1.3");
  CHECK(DecText(Eval("ROUND", {Dec("1.25", 10, 2), Int(1)})) == "1.30");
  CHECK(sum("2.35") == "2.4");
  CHECK(DecText(Eval("ROUND", {Dec("2.35", 10, 2), Int(1)})) == "2.40");
  CHECK(sum("-1.25") == "-1.3");
  CHECK(DecText(Eval("ROUND", {Dec("-1.25", 10, 2), Int(1)})) == "-1.20");
}

TEST_CASE("ROUND and TRUNC of decimals") {
  Arg v = Dec("12345678987654321.2345678987654321", 33, 16);
  CallResult r0 = Call("ROUND", {v});
  CHECK(r0.type == SqlType::Decimal(17, 0));
  CHECK(DecText(r0.value) == "12345678987654321");
  CallResult r10 = Call("ROUND", {v, Int(10)});
  CHECK(r10.type == SqlType::Decimal(33, 16));
  CHECK(DecText(r10.value) == "12345678987654321.2345678988000000");
  CHECK(DecText(Eval("ROUND", {v, Int(-2)})) == "12345678987654300.0000000000000000");
  CHECK(DecText(Eval("ROUND", {Dec("-1.5", 12, 7)})) == "-1");
  CHECK(DecText(Eval("TRUNC", {Dec("-12345.678", 12, 7), Int(-1)})) == "-12340.0000000");
  CHECK(DecText(Eval("TRUNC", {Dec("12345.678", 12, 7), Int(2)})) == "12345.6700000");
  CHECK(Eval("TRUNC", {Dbl(-1.7)}) == Value(int64_t{-1}));
  CHECK(Eval("TRUNC", {Dbl(12345.678), Int(2)}) == Value(12345.67));
}

TEST_CASE("CEIL, FLOOR, ABS, SIGN") {
  CHECK(Eval("CEIL", {Dbl(1.2)}) == Value(2.0));
  CHECK(Eval("FLOOR", {Dbl(-1.2)}) == Value(-2.0));
  CHECK(Eval("FLOOR", {Int(5)}) == Value(int64_t{5}));
  CHECK(DecText(Eval("CEIL", {Dec("1.20", 4, 2)})) == "2.00");
  CHECK(DecText(Eval("FLOOR", {Dec("-1.20", 4, 2)})) == "-2.00");
  CHECK(Eval("ABS", {Int(-3)}) == Value(int64_t{3}));
  CHECK(Call("ABS", {Int(-3)}).type == SqlType::Of(TypeId::kInt));
  CHECK(Eval("ABS", {Dbl(-3.5)}) == Value(3.5));
  CHECK(DecText(Eval("ABS", {Dec("-3.5", 3, 1)})) == "3.5");
  CHECK(Eval("SIGN", {Dbl(-3.0)}) == Value(int64_t{-1}));
  CHECK(Eval("SIGN", {Big(0)}) == Value(int64_t{0}));
}

TEST_CASE("double functions widen integers") {
  CHECK(Eval("EXP", {Int(1)}) == Value(2.718281828459045));
  CHECK(Eval("EXP", {Big(2)}) == Value(7.38905609893065));
  CHECK(Eval("CBRT", {Big(-3)}) == Value(-1.4422495703074083));
  CHECK(Eval("LOG", {Int(13)}) == Value(2.5649493574615367));
  CHECK(std::isinf(Eval("LOG", {Int(0)}).as_double()));
  CHECK(std::isnan(Eval("ACOS", {Int(2)}).as_double()));
  CHECK(Eval("LOG", {Int(2), Int(8)}) == Value(3.0));
  CHECK(Eval("POWER", {Int(2), Dbl(10)}) == Value(1024.0));
  CHECK(Eval("DEGREES", {Dbl(M_PI)}) == Value(180.0));
  double r = Eval("RANDOM", {}).as_double();
  CHECK((r >= 0 && r < 1));
}

TEST_CASE("GREATEST and LEAST resolve like ksqlDB") {
  CHECK(Eval("GREATEST", {Int(1), Int(7), Null(), Int(5)}) == Value(int64_t{7}));
  CHECK(Eval("LEAST", {Str("b"), Str("a"), Null(TypeId::kString)}) == Value("a"));
  CallResult dbl = Call("GREATEST", {Int(-1), Big(1000000000000), Dec("99999.99999", 30, 18), Dbl(1), Null()});
  CHECK(dbl.type == SqlType::Of(TypeId::kDouble));
  CHECK(dbl.value == Value(1e12));
  CallResult dec = Call("GREATEST", {Dec("1234567.89", 9, 2), Dec("0.123456", 7, 6)});
  CHECK(dec.type == SqlType::Decimal(13, 6));
  CHECK(DecText(dec.value) == "1234567.890000");
  CHECK(Call("GREATEST", {Int(1), Big(2)}).error.find(
            "Function 'GREATEST' cannot be resolved due to ambiguous method parameters (INTEGER, BIGINT).") == 0);
  CHECK(Call("LEAST", {Null(), Null(), Null(), Null()}).error.find("ambiguous method parameters (null, null, null, null)") !=
        std::string::npos);
  CHECK(Call("GREATEST", {}).error.find("does not accept parameters ().") != std::string::npos);
  CHECK(Call("GREATEST", {Str("a"), Int(1)}).error.find("does not accept parameters (STRING, INTEGER).") != std::string::npos);
  CHECK(Eval("GREATEST", {Null(TypeId::kInt), Null(TypeId::kInt)}).is_null());
  // A string (literal) where DATEs are compared is read as a date.
  Arg d = Typed(Value(Date{19071}), SqlType::Of(TypeId::kDate));
  CallResult dates = Call("GREATEST", {d, Null(), Str("2022-06-14")});
  CHECK(dates.type == SqlType::Of(TypeId::kDate));
  CHECK(dates.value == Value(Date{19157}));
  CHECK(Eval("LEAST", {Typed(Value(Time{33359999}), SqlType::Of(TypeId::kTime)), Str("09:16:00")}) == Value(Time{33359999}));
  CHECK(Eval("LEAST", {Typed(Value(Time{33370000}), SqlType::Of(TypeId::kTime)), Str("09:16:00")}) == Value(Time{33360000}));
  CHECK(Call("COALESCE", {d, Str("2022-06-14")}).error.find("does not accept") != std::string::npos);
}

TEST_CASE("GEO_DISTANCE") {
  CHECK(Eval("GEO_DISTANCE", {Dbl(37.4439), Dbl(-122.1663), Dbl(51.5257), Dbl(-0.1122)}) == Value(8634.659796579544));
  CHECK(Eval("GEO_DISTANCE", {Dbl(37.4439), Dbl(-122.1663), Dbl(51.5257), Dbl(-0.1122), Str("MI")}) ==
        Value(5365.659729188262));
  CHECK(Eval("GEO_DISTANCE", {Dbl(37.4439), Dbl(-122.1663), Int(51), Int(0)}) == Value(8682.459061368269));
  CHECK(Eval("GEO_DISTANCE", {Dbl(37.4439), Dbl(-122.1663), Dbl(51.5257), Dbl(-0.1122), Null(TypeId::kString)}) ==
        Value(8634.659796579544));
  CHECK(Call("GEO_DISTANCE", {Dbl(1), Dbl(1), Str("foo"), Int(0)}).error.find("does not accept parameters") != std::string::npos);
}

}  // TEST_SUITE

}  // namespace pipeline::sql::scalar::testing
