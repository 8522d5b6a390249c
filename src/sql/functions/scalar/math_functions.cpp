// Numeric functions: ABS, SIGN, SQRT, CBRT, EXP, LN, LOG, POWER, trigonometry, DEGREES/RADIANS, PI, RANDOM,
// GREATEST, LEAST, GEO_DISTANCE. Most take DOUBLE, so INT/BIGINT/DECIMAL arguments widen to it (ksqlDB's implicit
// casts), and return DOUBLE with Java's NaN/Infinity results for out-of-domain inputs.
#include <strings.h>

#include <cmath>
#include <random>

#include "core/decimal.h"
#include "sql/functions/scalar/families.h"
#include "sql/functions/scalar/signature.h"
#include "sql/functions/scalar/temporal_literal.h"
#include "sql/functions/scalar/value_access.h"
#include "sql/functions/scalar/value_compare.h"

namespace pipeline::sql::scalar {

namespace {

const SqlType kDouble = T(TypeId::kDouble);
const SqlType kInt = T(TypeId::kInt);

// FUNC(x DOUBLE) -> DOUBLE from a double -> double function.
template <double (*F)(double)>
ImplFactory UnaryDouble() {
  return Returns(kDouble, [](const Args& a, EvalContext&) { return Value(F(AsDouble(a[0]))); });
}

void AddUnary(ScalarFunctionRegistry& reg, const char* name, const char* description, ImplFactory f) {
  reg.Add(FunctionBuilder(name, "math", description).Overload("(x DOUBLE) -> DOUBLE", std::move(f)).Build());
}

// The Java 8 forms of Math.toDegrees / Math.toRadians, which ksqlDB's expected results were computed with
// (later JDKs multiply by a constant, which can differ in the last bit).
double Degrees(double x) { return x * 180.0 / M_PI; }
double Radians(double x) { return x / 180.0 * M_PI; }
double Cot(double x) { return 1.0 / std::tan(x); }
double Sqrt(double x) { return std::sqrt(x); }
double Cbrt(double x) { return std::cbrt(x); }
double Exp(double x) { return std::exp(x); }
double Ln(double x) { return std::log(x); }
double Sin(double x) { return std::sin(x); }
double Cos(double x) { return std::cos(x); }
double Tan(double x) { return std::tan(x); }
double Asin(double x) { return std::asin(x); }
double Acos(double x) { return std::acos(x); }
double Atan(double x) { return std::atan(x); }
double Sinh(double x) { return std::sinh(x); }
double Cosh(double x) { return std::cosh(x); }
double Tanh(double x) { return std::tanh(x); }

Value Abs(const Args& a) {
  const Value& v = a[0];
  if (v.is_int()) return Value(v.as_int() < 0 ? static_cast<int64_t>(0 - static_cast<uint64_t>(v.as_int())) : v.as_int());
  if (v.is_decimal()) {
    Decimal d = v.as_decimal();
    if (d.unscaled < 0) d.unscaled = -d.unscaled;
    return Value(d);
  }
  return Value(std::fabs(AsDouble(v)));
}

Value Sign(const Args& a) {
  const Value& v = a[0];
  if (v.is_int()) return Value(int64_t{v.as_int() > 0 ? 1 : v.as_int() < 0 ? -1 : 0});
  if (v.is_decimal()) return Value(int64_t{v.as_decimal().unscaled > 0 ? 1 : v.as_decimal().unscaled < 0 ? -1 : 0});
  double d = AsDouble(v);
  return Value(int64_t{d > 0 ? 1 : d < 0 ? -1 : 0});  // Math.signum(NaN) is NaN; ksqlDB casts it to 0
}

// ---- GREATEST / LEAST --------------------------------------------------------------------------------------

// ksqlDB widens DECIMAL arguments to one type that fits them all: max integer digits + max scale.
SqlType CommonDecimalType(const std::vector<SqlType>& args) {
  int integer_digits = 1, scale = 0;
  for (const SqlType& t : args) {
    int p = t.precision, s = t.scale;
    if (t.id == TypeId::kInt) p = 10, s = 0;
    else if (t.id == TypeId::kBigInt) p = 19, s = 0;
    else if (t.id != TypeId::kDecimal) continue;
    integer_digits = std::max(integer_digits, p - s);
    scale = std::max(scale, s);
  }
  return SqlType::Decimal(integer_digits + scale, scale);
}

ImplFactory Extreme(bool greatest, TypeId overload_type) {
  return [greatest, overload_type](const std::vector<SqlType>& args) -> Result<BoundScalar> {
    SqlType result = SqlType::Of(overload_type);
    if (overload_type == TypeId::kDecimal) result = CommonDecimalType(args);
    ScalarImpl impl = [greatest, overload_type, result](const Args& args, EvalContext&) -> Value {
      const Args* values = &args;
      Args temporal;
      if (overload_type == TypeId::kDate || overload_type == TypeId::kTime || overload_type == TypeId::kTimestamp) {
        temporal.reserve(args.size());  // one representation, whatever form the engine handed over
        for (const Value& v : args) {
          if (v.is_null()) temporal.emplace_back();
          else if (overload_type == TypeId::kDate) temporal.emplace_back(Date{static_cast<int32_t>(DaysOf(v))});
          else if (overload_type == TypeId::kTime) temporal.emplace_back(Time{TimeMillisOf(v)});
          else temporal.emplace_back(Timestamp{TimestampMillisOf(v)});
        }
        values = &temporal;
      }
      const Value* best = nullptr;
      for (const Value& v : *values) {
        if (v.is_null()) continue;
        if (!best || (greatest ? CompareValues(v, *best) > 0 : CompareValues(v, *best) < 0)) best = &v;
      }
      if (!best) return Value();
      if (overload_type == TypeId::kDouble) return Value(AsDouble(*best));
      if (overload_type == TypeId::kDecimal) {
        Decimal d = Rescale(AsDecimal(*best), result.scale, RoundingMode::kHalfUp);
        d.precision = result.precision;
        return Value(d);
      }
      return *best;
    };
    return BoundScalar{result, std::move(impl), false};
  };
}

void RegisterExtreme(ScalarFunctionRegistry& reg, const char* name, bool greatest) {
  FunctionBuilder f(name, "math",
                    greatest ? "The largest non-NULL argument; all arguments must have comparable types."
                             : "The smallest non-NULL argument; all arguments must have comparable types.");
  const std::pair<const char*, TypeId> types[] = {
      {"INTEGER", TypeId::kInt},   {"BIGINT", TypeId::kBigInt}, {"DOUBLE", TypeId::kDouble},
      {"DECIMAL", TypeId::kDecimal}, {"STRING", TypeId::kString}, {"BYTES", TypeId::kBytes},
      {"DATE", TypeId::kDate},     {"TIME", TypeId::kTime},     {"TIMESTAMP", TypeId::kTimestamp}};
  for (const auto& [type_name, id] : types) {
    std::string t = type_name;
    f.Overload("(val " + t + ", vals " + t + "...) -> " + t, Extreme(greatest, id));
  }
  reg.Add(f.Build());
}

// ---- GEO_DISTANCE ------------------------------------------------------------------------------------------

Value GeoDistance(const Args& a, EvalContext& ctx) {
  for (size_t i = 0; i < 4; ++i)
    if (a[i].is_null()) return Value();
  double lat1 = AsDouble(a[0]), lon1 = AsDouble(a[1]), lat2 = AsDouble(a[2]), lon2 = AsDouble(a[3]);
  double radius = 6371;  // km
  std::string unit = a.size() > 4 && !a[4].is_null() ? a[4].as_string() : "";
  unit.erase(0, unit.find_first_not_of(' '));
  unit.erase(unit.find_last_not_of(' ') + 1);
  if (!unit.empty()) {
    auto is = [&](const char* n) { return strcasecmp(unit.c_str(), n) == 0; };
    if (is("mi") || is("mile") || is("miles")) {
      radius = 3959;
    } else if (!is("km") && !is("kilometer") && !is("kilometers") && !is("kilometre") && !is("kilometres")) {
      ctx.Fail("GeoDistance function units parameter must be one of mi, mile, miles, km, kilometer, kilometers, "
               "kilometre or kilometres. Values are case-insensitive.");
      return Value();
    }
  }
  if (std::fabs(lat1) > 90 || std::fabs(lat2) > 90 || std::fabs(lon1) > 180 || std::fabs(lon2) > 180) {
    ctx.Fail("valid latitude values for GeoDistance function are in the range of -90 to 90 and longitude -180 to 180");
    return Value();
  }
  auto haversine = [](double rad) { return std::pow(std::sin(rad / 2), 2); };
  double a_ = haversine(Radians(lat2 - lat1)) +
              haversine(Radians(lon2 - lon1)) * std::cos(Radians(lat1)) * std::cos(Radians(lat2));
  return Value(2 * std::asin(std::sqrt(a_)) * radius);
}

}  // namespace

void RegisterMathFunctions(ScalarFunctionRegistry& reg) {
  auto abs = [](const Args& a, EvalContext&) { return Abs(a); };
  reg.Add(FunctionBuilder("ABS", "math", "The absolute value.")
              .Overload("(x INTEGER) -> INTEGER", ReturnsArgType(0, [](const Args& a, EvalContext&) {
                return Value(WrapInt32(Abs(a).as_int()));  // Math.abs(Integer.MIN_VALUE) stays negative
              }))
              .Overload("(x BIGINT) -> BIGINT", ReturnsArgType(0, abs))
              .Overload("(x DOUBLE) -> DOUBLE", ReturnsArgType(0, abs))
              .Overload("(x DECIMAL) -> DECIMAL", ReturnsArgType(0, abs))
              .Build());
  auto sign = [](const Args& a, EvalContext&) { return Sign(a); };
  reg.Add(FunctionBuilder("SIGN", "math", "-1, 0 or 1 for negative, zero and positive values.")
              .Overload("(x INTEGER) -> INTEGER", Returns(kInt, sign))
              .Overload("(x BIGINT) -> INTEGER", Returns(kInt, sign))
              .Overload("(x DOUBLE) -> INTEGER", Returns(kInt, sign))
              .Build());

  AddUnary(reg, "SQRT", "The square root.", UnaryDouble<Sqrt>());
  AddUnary(reg, "CBRT", "The cube root.", UnaryDouble<Cbrt>());
  AddUnary(reg, "EXP", "e raised to the power of x.", UnaryDouble<Exp>());
  AddUnary(reg, "LN", "The natural logarithm (NaN for negative x, -Infinity for 0).", UnaryDouble<Ln>());
  AddUnary(reg, "SIN", "The sine of x (radians).", UnaryDouble<Sin>());
  AddUnary(reg, "COS", "The cosine of x (radians).", UnaryDouble<Cos>());
  AddUnary(reg, "TAN", "The tangent of x (radians).", UnaryDouble<Tan>());
  AddUnary(reg, "COT", "The cotangent of x (radians).", UnaryDouble<Cot>());
  AddUnary(reg, "ASIN", "The arc sine, in radians (NaN outside [-1, 1]).", UnaryDouble<Asin>());
  AddUnary(reg, "ACOS", "The arc cosine, in radians (NaN outside [-1, 1]).", UnaryDouble<Acos>());
  AddUnary(reg, "ATAN", "The arc tangent, in radians.", UnaryDouble<Atan>());
  AddUnary(reg, "SINH", "The hyperbolic sine.", UnaryDouble<Sinh>());
  AddUnary(reg, "COSH", "The hyperbolic cosine.", UnaryDouble<Cosh>());
  AddUnary(reg, "TANH", "The hyperbolic tangent.", UnaryDouble<Tanh>());
  AddUnary(reg, "DEGREES", "Converts radians to degrees.", UnaryDouble<Degrees>());
  AddUnary(reg, "RADIANS", "Converts degrees to radians.", UnaryDouble<Radians>());

  // ksqlDB's one-argument LOG is the natural logarithm (its docs say base 10; its results are ln).
  reg.Add(FunctionBuilder("LOG", "math", "The natural logarithm of value, or its logarithm in the given base.")
              .Overload("(value DOUBLE) -> DOUBLE", UnaryDouble<Ln>())
              .Overload("(base DOUBLE, value DOUBLE) -> DOUBLE", Returns(kDouble, [](const Args& a, EvalContext&) {
                double base = AsDouble(a[0]), value = AsDouble(a[1]);
                if (base <= 0 || base == 1) return Value(std::nan(""));
                return Value(std::log(value) / std::log(base));
              }))
              .Build());
  reg.Add(FunctionBuilder("POWER", "math", "base raised to the power of exponent.")
              .Overload("(base DOUBLE, exponent DOUBLE) -> DOUBLE", Returns(kDouble, [](const Args& a, EvalContext&) {
                return Value(std::pow(AsDouble(a[0]), AsDouble(a[1])));
              }))
              .Build());
  reg.Add(FunctionBuilder("ATAN2", "math", "The angle theta of the point (x, y) in polar coordinates, in radians.")
              .Overload("(y DOUBLE, x DOUBLE) -> DOUBLE", Returns(kDouble, [](const Args& a, EvalContext&) {
                return Value(std::atan2(AsDouble(a[0]), AsDouble(a[1])));
              }))
              .Build());
  reg.Add(FunctionBuilder("PI", "math", "An approximation of pi.")
              .Overload("() -> DOUBLE", Returns(kDouble, [](const Args&, EvalContext&) { return Value(M_PI); }))
              .Build());
  reg.Add(FunctionBuilder("RANDOM", "math", "A random DOUBLE in [0.0, 1.0).")
              .Overload("() -> DOUBLE", Returns(kDouble, [](const Args&, EvalContext&) {
                thread_local std::mt19937_64 rng{std::random_device{}()};
                return Value(std::uniform_real_distribution<double>(0.0, 1.0)(rng));
              }))
              .Build());

  RegisterExtreme(reg, "GREATEST", true);
  RegisterExtreme(reg, "LEAST", false);

  auto geo = [](const Args& a, EvalContext& ctx) { return GeoDistance(a, ctx); };
  reg.Add(FunctionBuilder("GEO_DISTANCE", "math",
                          "The great-circle distance between two lat/lon points in degrees, in KM (default) or MI.")
              .Overload("(lat1 DOUBLE, lon1 DOUBLE, lat2 DOUBLE, lon2 DOUBLE) -> DOUBLE", Returns(kDouble, geo))
              .Overload("(lat1 DOUBLE, lon1 DOUBLE, lat2 DOUBLE, lon2 DOUBLE, units STRING) -> DOUBLE",
                        ReturnsNullAware(kDouble, geo))
              .Build());
}

}  // namespace pipeline::sql::scalar
