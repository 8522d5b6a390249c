// Declaring scalar functions: each overload is written as a ksqlDB-style signature string
// ("(str STRING, pos INTEGER) -> STRING") plus a factory that, given the actual argument types, returns the
// BoundScalar. Overloads are resolved the way ksqlDB's UdfIndex does it (exact match first, then implicit
// numeric widening; non-variadic beats variadic, more parameters beat fewer, fewer generics beat more;
// a tie is an "ambiguous method parameters" error), so error messages match ksqlDB's.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "sql/functions/scalar_function.h"

namespace pipeline::sql::scalar {

// A declared parameter type: a concrete SQL type, "any DECIMAL", a generic (T, U, ...), ANY STRUCT, or an
// ARRAY / MAP built from those. MAP keys are always STRING in ksqlDB.
struct ParamType {
  enum class Kind { kConcrete, kAnyDecimal, kGeneric, kArray, kMap, kAnyStruct };
  Kind kind = Kind::kConcrete;
  TypeId id = TypeId::kUnknown;
  char generic = 0;
  std::shared_ptr<const ParamType> element;  // ARRAY element or MAP value

  bool HasGenerics() const;
  std::string ToString() const;  // ksqlDB spelling: STRING, INTEGER, DECIMAL, ARRAY<T>, MAP<STRING, V>
};

// Builds the BoundScalar for the chosen overload; sees the actual argument types (for DECIMAL precision,
// element types of generic collections, ...). May still refuse with a ConfigError.
using ImplFactory = std::function<Result<BoundScalar>(const std::vector<SqlType>& arg_types)>;

struct Overload {
  std::vector<ParamType> params;
  std::vector<std::string> param_names;
  bool variadic = false;   // the last parameter repeats zero or more times ("args STRING...")
  std::string returns;     // for docs, as written after "->"
  ImplFactory bind;
};

// One function under construction; Build() turns it into the registry's ScalarFunctionSpec.
class FunctionBuilder {
 public:
  FunctionBuilder(std::string name, std::string category, std::string description);

  // `signature` is "(name TYPE, name TYPE...) -> RETURNS"; TYPE is one of BOOLEAN INTEGER BIGINT DOUBLE DECIMAL
  // STRING BYTES DATE TIME TIMESTAMP STRUCT, a generic letter (T, U, K, V), ARRAY<...> or MAP<STRING, ...>;
  // a trailing "..." makes the last parameter variadic. A malformed signature is a programming error (abort).
  FunctionBuilder& Overload(const std::string& signature, ImplFactory bind);
  ScalarFunctionSpec Build();

 private:
  std::string name_, category_, description_;
  std::vector<scalar::Overload> overloads_;
};

// Chooses the overload for `args` like ksqlDB, or explains why none fits. The message continues the sentence
// "Function 'NAME' " that the SQL binder puts in front (with the name as the query spells it), so that the whole
// reads like ksqlDB's: "Function 'substring' does not accept parameters (BOOLEAN).\nValid alternatives are: ...".
Result<const Overload*> ResolveOverload(const std::string& function_name, const std::vector<Overload>& overloads,
                                        const std::vector<SqlType>& args);

// ---- factories for the common cases -------------------------------------------------------------------

using Args = std::vector<Value>;

// The return type does not depend on the argument types; NULL in any argument gives NULL.
ImplFactory Returns(SqlType type, ScalarImpl impl);
// Same, but impl is called with NULL arguments too (COALESCE, CONCAT, ...).
ImplFactory ReturnsNullAware(SqlType type, ScalarImpl impl);
// The return type is the type of argument `index` (ABS, IFNULL, ...); when that argument is a NULL literal,
// the first argument with a known type decides, so that IFNULL(NULL, x) is typed by x.
ImplFactory ReturnsArgType(size_t index, ScalarImpl impl, bool null_if_any_null = true);

// The type a list of arguments meets at: the first known type, widened along INT -> BIGINT -> DECIMAL -> DOUBLE
// (DECIMALs merge to fit both); NULL literals are ignored. Used for generic results (COALESCE, IFNULL, ...).
SqlType WidestType(const std::vector<SqlType>& types);

inline SqlType T(TypeId id) { return SqlType::Of(id); }

}  // namespace pipeline::sql::scalar
