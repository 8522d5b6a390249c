// ROUND, TRUNC, CEIL, FLOOR. ksqlDB rounds half up towards +infinity (Math.round: ROUND(-1.5) = -1) and rounds
// doubles with a scale through BigDecimal.valueOf(double), i.e. on the shortest decimal text of the double.
#include <cmath>
#include <cstdlib>

#include "core/decimal.h"
#include "sql/functions/scalar/families.h"
#include "sql/functions/scalar/signature.h"
#include "sql/functions/scalar/value_access.h"

namespace pipeline::sql::scalar {

namespace {

const SqlType kBigInt = T(TypeId::kBigInt);
const SqlType kDouble = T(TypeId::kDouble);

enum class Kind { kRound, kTrunc };

// ksqlDB's ROUND: HALF_UP for positive values, HALF_DOWN otherwise, i.e. ties go towards +infinity, like
// Math.round.
RoundingMode ModeFor(Kind kind, const Decimal& d) {
  if (kind != Kind::kRound) return RoundingMode::kDown;
  return d.unscaled > 0 ? RoundingMode::kHalfUp : RoundingMode::kHalfDown;
}

// Correctly rounded like BigDecimal.doubleValue(): exact when both the digits and the power of ten are exact
// doubles (IEEE division then rounds once), otherwise through the decimal text.
double DecimalToDouble(const Decimal& d) {
  constexpr __int128 kExactLimit = __int128{1} << 53;
  if (d.scale >= 0 && d.scale <= 22 && d.unscaled > -kExactLimit && d.unscaled < kExactLimit)
    return static_cast<double>(static_cast<int64_t>(d.unscaled)) / static_cast<double>(Pow10(d.scale));
  return std::strtod(d.ToString().c_str(), nullptr);
}

// Rounds to `places` digits after the point (negative: before it) and keeps the original scale.
Decimal RoundDecimal(const Decimal& d, int64_t places, Kind kind) {
  if (places >= d.scale) return d;
  int target = static_cast<int>(std::max<int64_t>(places, -38));
  Decimal rounded = Rescale(d, target, ModeFor(kind, d));
  Decimal out = Rescale(rounded, d.scale, RoundingMode::kDown);
  out.precision = d.precision;
  return out;
}

// ROUND(DOUBLE) -> BIGINT: Math.round is floor(x + 0.5); TRUNC(DOUBLE) -> BIGINT drops the fraction.
Value DoubleToBigInt(double v, Kind kind) {
  if (std::isnan(v)) return Value(int64_t{0});
  double r = kind == Kind::kRound ? std::floor(v + 0.5) : std::trunc(v);
  if (kind == Kind::kRound && v == 0.49999999999999994) r = 0;  // Math.round's documented exception
  if (r >= 9.2233720368547758e18) return Value(INT64_MAX);
  if (r <= -9.2233720368547758e18) return Value(INT64_MIN);
  return Value(static_cast<int64_t>(r));
}

Value DoubleWithScale(double v, int64_t places, Kind kind) {
  std::optional<Decimal> d = DecimalValueOf(v);
  if (!d) return Value(v);  // NaN and infinities stay as they are
  if (places >= d->scale) return Value(v);
  int target = static_cast<int>(std::max<int64_t>(places, -38));
  Decimal r = Rescale(*d, target, ModeFor(kind, *d));
  if (r.scale < 0) r = Rescale(r, 0, RoundingMode::kDown);
  return Value(DecimalToDouble(r));
}

void RegisterRoundLike(ScalarFunctionRegistry& reg, const char* name, Kind kind, const char* description) {
  auto to_bigint = [kind](const Args& a, EvalContext&) -> Value {
    if (a[0].is_int()) return a[0];
    return DoubleToBigInt(AsDouble(a[0]), kind);
  };
  auto with_scale = [kind](const Args& a, EvalContext&) { return DoubleWithScale(AsDouble(a[0]), AsInt(a[1]), kind); };
  auto decimal = [kind](const Args& a, EvalContext&) -> Value {
    Decimal d = AsDecimal(a[0]);
    Decimal r = Rescale(d, 0, ModeFor(kind, d));
    r.precision = std::max(1, d.precision - d.scale);
    return Value(r);
  };
  auto decimal_scale = [kind](const Args& a, EvalContext&) { return Value(RoundDecimal(AsDecimal(a[0]), AsInt(a[1]), kind)); };
  // DECIMAL(p, s) rounded to an integer is DECIMAL(p - s, 0); with a scale the type stays DECIMAL(p, s).
  ImplFactory decimal_type = [decimal](const std::vector<SqlType>& args) -> Result<BoundScalar> {
    const SqlType& t = args[0];
    int p = t.id == TypeId::kDecimal ? t.precision : 19, s = t.id == TypeId::kDecimal ? t.scale : 0;
    return BoundScalar{SqlType::Decimal(std::max(1, p - s), 0), decimal, true};
  };
  ImplFactory decimal_scale_type = [decimal_scale](const std::vector<SqlType>& args) -> Result<BoundScalar> {
    SqlType t = args[0].id == TypeId::kDecimal ? args[0] : SqlType::Decimal(19, 0);
    return BoundScalar{t, decimal_scale, true};
  };
  reg.Add(FunctionBuilder(name, "math", description)
              .Overload("(x INTEGER) -> BIGINT", Returns(kBigInt, to_bigint))
              .Overload("(x BIGINT) -> BIGINT", Returns(kBigInt, to_bigint))
              .Overload("(x DOUBLE) -> BIGINT", Returns(kBigInt, to_bigint))
              .Overload("(x DOUBLE, scale INTEGER) -> DOUBLE", Returns(kDouble, with_scale))
              .Overload("(x DECIMAL) -> DECIMAL", decimal_type)
              .Overload("(x DECIMAL, scale INTEGER) -> DECIMAL", decimal_scale_type)
              .Build());
}

// CEIL / FLOOR keep the input type (a DECIMAL keeps its scale, with zeros after the point).
void RegisterCeilFloor(ScalarFunctionRegistry& reg, const char* name, bool ceil, const char* description) {
  auto impl = [ceil](const Args& a, EvalContext&) -> Value {
    const Value& v = a[0];
    if (v.is_int()) return v;
    if (v.is_decimal()) {
      const Decimal& d = v.as_decimal();
      Decimal r = Rescale(Rescale(d, 0, ceil ? RoundingMode::kCeiling : RoundingMode::kFloor), d.scale, RoundingMode::kDown);
      r.precision = d.precision;
      return Value(r);
    }
    double x = AsDouble(v);
    return Value(ceil ? std::ceil(x) : std::floor(x));
  };
  reg.Add(FunctionBuilder(name, "math", description)
              .Overload("(x INTEGER) -> INTEGER", ReturnsArgType(0, impl))
              .Overload("(x BIGINT) -> BIGINT", ReturnsArgType(0, impl))
              .Overload("(x DOUBLE) -> DOUBLE", ReturnsArgType(0, impl))
              .Overload("(x DECIMAL) -> DECIMAL", ReturnsArgType(0, impl))
              .Build());
}

}  // namespace

void RegisterRoundingFunctions(ScalarFunctionRegistry& reg) {
  RegisterRoundLike(reg, "ROUND", Kind::kRound,
                    "Rounds to scale decimal places (default 0; negative rounds left of the point); ties round up "
                    "(towards positive infinity).");
  RegisterRoundLike(reg, "TRUNC", Kind::kTrunc,
                    "Truncates to scale decimal places (default 0; negative truncates left of the point).");
  RegisterCeilFloor(reg, "CEIL", true, "The smallest integer value greater than or equal to x.");
  RegisterCeilFloor(reg, "FLOOR", false, "The largest integer value less than or equal to x.");
}

}  // namespace pipeline::sql::scalar
