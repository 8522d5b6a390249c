// One Register function per family file; builtin_functions.cpp calls them all (the one visible list).
#pragma once

#include "sql/functions/scalar_function.h"

namespace pipeline::sql::scalar {

void RegisterStringFunctions(ScalarFunctionRegistry& reg);      // string_functions.cpp
void RegisterPaddingAndMaskFunctions(ScalarFunctionRegistry& reg);  // mask_pad_functions.cpp
void RegisterRegexFunctions(ScalarFunctionRegistry& reg);       // regex_functions.cpp
void RegisterBytesFunctions(ScalarFunctionRegistry& reg);       // bytes_functions.cpp
void RegisterMathFunctions(ScalarFunctionRegistry& reg);        // math_functions.cpp
void RegisterRoundingFunctions(ScalarFunctionRegistry& reg);    // rounding_functions.cpp
void RegisterDateTimeFunctions(ScalarFunctionRegistry& reg);    // datetime_functions.cpp
void RegisterDateTimeArithmetic(ScalarFunctionRegistry& reg);   // datetime_arithmetic.cpp
void RegisterJsonFunctions(ScalarFunctionRegistry& reg);        // json_functions.cpp
void RegisterArrayFunctions(ScalarFunctionRegistry& reg);       // array_functions.cpp
void RegisterMapFunctions(ScalarFunctionRegistry& reg);         // map_functions.cpp
void RegisterLambdaFunctions(ScalarFunctionRegistry& reg);      // lambda_functions.cpp
void RegisterConditionalFunctions(ScalarFunctionRegistry& reg); // conditional_functions.cpp
void RegisterUrlFunctions(ScalarFunctionRegistry& reg);         // url_functions.cpp

}  // namespace pipeline::sql::scalar
