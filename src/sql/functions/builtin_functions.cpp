// The one visible list of built-in scalar function families (each family file registers its functions).
#include "sql/functions/scalar/families.h"
#include "sql/functions/scalar_function.h"

namespace pipeline::sql {

namespace {

ScalarFunctionRegistry MakeBuiltinScalarFunctions() {
  ScalarFunctionRegistry reg;
  scalar::RegisterStringFunctions(reg);
  scalar::RegisterPaddingAndMaskFunctions(reg);
  scalar::RegisterRegexFunctions(reg);
  scalar::RegisterBytesFunctions(reg);
  scalar::RegisterMathFunctions(reg);
  scalar::RegisterRoundingFunctions(reg);
  scalar::RegisterConditionalFunctions(reg);
  scalar::RegisterArrayFunctions(reg);
  scalar::RegisterMapFunctions(reg);
  scalar::RegisterLambdaFunctions(reg);
  scalar::RegisterJsonFunctions(reg);
  scalar::RegisterUrlFunctions(reg);
  scalar::RegisterDateTimeFunctions(reg);
  scalar::RegisterDateTimeArithmetic(reg);
  return reg;
}

}  // namespace

const ScalarFunctionRegistry& BuiltinScalarFunctions() {
  static const ScalarFunctionRegistry registry = MakeBuiltinScalarFunctions();
  return registry;
}

}  // namespace pipeline::sql
