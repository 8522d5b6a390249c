#include "sql/functions/scalar/signature.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <map>
#include <optional>

#include "sql/functions/scalar/temporal_literal.h"

namespace pipeline::sql::scalar {

namespace {

using Kind = ParamType::Kind;

// ---- signature text -> ParamType ------------------------------------------------------------------------

[[noreturn]] void BadSignature(const std::string& name, const std::string& sig) {
  std::fprintf(stderr, "internal error: malformed signature for %s: %s\n", name.c_str(), sig.c_str());
  std::abort();
}

std::string Trim(std::string s) {
  size_t b = s.find_first_not_of(' ');
  size_t e = s.find_last_not_of(' ');
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// Splits on commas that are not inside <...>.
std::vector<std::string> SplitTopLevel(const std::string& s) {
  std::vector<std::string> out;
  int depth = 0;
  std::string cur;
  for (char c : s) {
    if (c == '<') ++depth;
    if (c == '>') --depth;
    if (c == ',' && depth == 0) {
      out.push_back(Trim(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!Trim(cur).empty()) out.push_back(Trim(cur));
  return out;
}

bool ParseParamType(const std::string& text, ParamType& out) {
  static const std::map<std::string, TypeId> kConcrete = {
      {"BOOLEAN", TypeId::kBoolean}, {"INTEGER", TypeId::kInt},    {"INT", TypeId::kInt},
      {"BIGINT", TypeId::kBigInt},   {"DOUBLE", TypeId::kDouble},  {"STRING", TypeId::kString},
      {"BYTES", TypeId::kBytes},     {"DATE", TypeId::kDate},      {"TIME", TypeId::kTime},
      {"TIMESTAMP", TypeId::kTimestamp}};
  std::string t = Trim(text);
  if (auto it = kConcrete.find(t); it != kConcrete.end()) {
    out.kind = Kind::kConcrete;
    out.id = it->second;
    return true;
  }
  if (t == "DECIMAL") {
    out.kind = Kind::kAnyDecimal;
    return true;
  }
  if (t == "STRUCT") {
    out.kind = Kind::kAnyStruct;
    return true;
  }
  if (t.size() == 1 && std::isupper(static_cast<unsigned char>(t[0]))) {
    out.kind = Kind::kGeneric;
    out.generic = t[0];
    return true;
  }
  auto inner = [&](size_t prefix) { return t.substr(prefix, t.size() - prefix - 1); };
  if (t.rfind("ARRAY<", 0) == 0 && t.back() == '>') {
    ParamType element;
    if (!ParseParamType(inner(6), element)) return false;
    out.kind = Kind::kArray;
    out.element = std::make_shared<const ParamType>(std::move(element));
    return true;
  }
  if (t.rfind("MAP<", 0) == 0 && t.back() == '>') {
    std::vector<std::string> kv = SplitTopLevel(inner(4));
    ParamType value;
    if (kv.size() != 2 || !ParseParamType(kv[1], value)) return false;
    out.kind = Kind::kMap;
    out.element = std::make_shared<const ParamType>(std::move(value));
    return true;
  }
  return false;
}

// ---- matching -------------------------------------------------------------------------------------------

bool IsTemporal(TypeId id) { return id == TypeId::kDate || id == TypeId::kTime || id == TypeId::kTimestamp; }

// ksqlDB's implicit widening: INT -> BIGINT -> DECIMAL -> DOUBLE; and a string (literal, in ksqlDB) where a
// DATE, TIME or TIMESTAMP is expected, read when the function is called.
bool Widens(TypeId from, TypeId to) {
  switch (from) {
    case TypeId::kString: return IsTemporal(to);
    case TypeId::kInt: return to == TypeId::kBigInt || to == TypeId::kDecimal || to == TypeId::kDouble;
    case TypeId::kBigInt: return to == TypeId::kDecimal || to == TypeId::kDouble;
    case TypeId::kDecimal: return to == TypeId::kDouble;
    default: return false;
  }
}

bool WidensNumber(TypeId from, TypeId to) { return from != TypeId::kString && Widens(from, to); }

using Generics = std::map<char, SqlType>;

bool Accepts(const ParamType& p, const SqlType& arg, Generics& generics, bool allow_casts) {
  if (arg.id == TypeId::kUnknown) return true;  // a NULL literal fits any parameter
  switch (p.kind) {
    case Kind::kConcrete: return arg.id == p.id || (allow_casts && Widens(arg.id, p.id));
    case Kind::kAnyDecimal: return arg.id == TypeId::kDecimal || (allow_casts && Widens(arg.id, TypeId::kDecimal));
    case Kind::kAnyStruct: return arg.id == TypeId::kStruct;
    case Kind::kGeneric: {
      auto it = generics.find(p.generic);
      if (it == generics.end() || it->second.id == TypeId::kUnknown) {
        generics[p.generic] = arg;
        return true;
      }
      if (it->second == arg) return true;
      if (!allow_casts) return false;
      // COALESCE(int_col, bigint_col): numbers of different types meet at the wider one.
      if (WidensNumber(arg.id, it->second.id) || (arg.id == TypeId::kDecimal && it->second.id == TypeId::kDecimal)) return true;
      if (WidensNumber(it->second.id, arg.id)) {
        it->second = arg;
        return true;
      }
      return false;
    }
    case Kind::kArray:
      if (arg.id != TypeId::kArray) return false;
      return !arg.element || Accepts(*p.element, *arg.element, generics, allow_casts);
    case Kind::kMap:
      if (arg.id != TypeId::kMap) return false;
      return !arg.element || Accepts(*p.element, *arg.element, generics, allow_casts);
  }
  return false;
}

bool OverloadAccepts(const Overload& o, const std::vector<SqlType>& args, bool allow_casts) {
  size_t n = o.params.size();
  if (o.variadic ? args.size() + 1 < n : args.size() != n) return false;
  Generics generics;
  for (size_t i = 0; i < args.size(); ++i) {
    const ParamType& p = o.params[std::min(i, n - 1)];
    if (!Accepts(p, args[i], generics, allow_casts)) return false;
  }
  return true;
}

int CountGenerics(const Overload& o) {
  return static_cast<int>(std::count_if(o.params.begin(), o.params.end(), [](const ParamType& p) { return p.HasGenerics(); }));
}

// Positive when a is preferred over b (ksqlDB: non-variadic, then more parameters, then fewer generics).
int Prefer(const Overload& a, const Overload& b) {
  if (a.variadic != b.variadic) return a.variadic ? -1 : 1;
  if (a.params.size() != b.params.size()) return a.params.size() > b.params.size() ? 1 : -1;
  return CountGenerics(b) - CountGenerics(a);
}

std::string ArgsText(const std::vector<SqlType>& args) {
  std::string s = "(";
  for (size_t i = 0; i < args.size(); ++i) {
    if (i) s += ", ";
    s += args[i].id == TypeId::kUnknown ? "null" : args[i].ToString();
  }
  return s + ")";
}

std::string AlternativesText(const std::string& name, const std::vector<Overload>& overloads) {
  std::string s;
  for (const Overload& o : overloads) {
    s += name + "(";
    for (size_t i = 0; i < o.params.size(); ++i) {
      if (i) s += ", ";
      s += o.params[i].ToString();
      if (o.variadic && i + 1 == o.params.size()) s += "...";
      if (i < o.param_names.size() && !o.param_names[i].empty()) s += " " + o.param_names[i];
    }
    s += ")\n";
  }
  return s;
}

// Where a STRING argument was accepted for a DATE/TIME/TIMESTAMP parameter, the implementation gets the
// parsed value instead; text that does not parse is a per-record error (NULL result).
void ReadTemporalStrings(const Overload& o, const std::vector<SqlType>& args, BoundScalar& bound) {
  std::vector<std::pair<size_t, TypeId>> conversions;
  for (size_t i = 0; i < args.size() && !o.params.empty(); ++i) {
    const ParamType& p = o.params[std::min(i, o.params.size() - 1)];
    if (args[i].id == TypeId::kString && p.kind == Kind::kConcrete && IsTemporal(p.id)) conversions.emplace_back(i, p.id);
  }
  if (conversions.empty()) return;
  bound.impl = [inner = std::move(bound.impl), conversions](const std::vector<Value>& args, EvalContext& ctx) -> Value {
    std::vector<Value> converted = args;
    for (const auto& [i, type] : conversions) {
      if (converted[i].is_null()) continue;
      std::optional<Value> v = ParseTemporalLiteral(converted[i].as_string(), type);
      if (!v) {
        ctx.Fail("Could not read '" + converted[i].as_string() + "' as a " + SqlType::Of(type).ToString());
        return Value();
      }
      converted[i] = std::move(*v);
    }
    return inner(converted, ctx);
  };
}

}  // namespace

bool ParamType::HasGenerics() const {
  if (kind == Kind::kGeneric) return true;
  return element && element->HasGenerics();
}

std::string ParamType::ToString() const {
  switch (kind) {
    case Kind::kConcrete: return SqlType::Of(id).ToString();
    case Kind::kAnyDecimal: return "DECIMAL";
    case Kind::kAnyStruct: return "STRUCT";
    case Kind::kGeneric: return std::string(1, generic);
    case Kind::kArray: return "ARRAY<" + element->ToString() + ">";
    case Kind::kMap: return "MAP<STRING, " + element->ToString() + ">";
  }
  return "?";
}

FunctionBuilder::FunctionBuilder(std::string name, std::string category, std::string description)
    : name_(std::move(name)), category_(std::move(category)), description_(std::move(description)) {}

FunctionBuilder& FunctionBuilder::Overload(const std::string& signature, ImplFactory bind) {
  scalar::Overload o;
  size_t open = signature.find('(');
  size_t close = signature.rfind(')');
  size_t arrow = signature.find("->", close == std::string::npos ? 0 : close);
  if (open == std::string::npos || close == std::string::npos || arrow == std::string::npos)
    BadSignature(name_, signature);
  o.returns = Trim(signature.substr(arrow + 2));
  for (std::string param : SplitTopLevel(signature.substr(open + 1, close - open - 1))) {
    if (o.variadic) BadSignature(name_, signature);  // only the last parameter may repeat
    if (param.size() > 3 && param.compare(param.size() - 3, 3, "...") == 0) {
      o.variadic = true;
      param = Trim(param.substr(0, param.size() - 3));
    }
    size_t space = param.find(' ');
    if (space == std::string::npos) BadSignature(name_, signature);
    ParamType type;
    if (!ParseParamType(param.substr(space + 1), type)) BadSignature(name_, signature);
    o.param_names.push_back(param.substr(0, space));
    o.params.push_back(std::move(type));
  }
  o.bind = std::move(bind);
  overloads_.push_back(std::move(o));
  return *this;
}

ScalarFunctionSpec FunctionBuilder::Build() {
  ScalarFunctionSpec spec;
  spec.name = name_;
  spec.category = category_;
  spec.description = description_;
  for (const scalar::Overload& o : overloads_) {
    if (!spec.signature.empty()) spec.signature += "\n";
    spec.signature += name_ + "(";
    for (size_t i = 0; i < o.params.size(); ++i) {
      if (i) spec.signature += ", ";
      spec.signature += o.param_names[i] + " " + o.params[i].ToString();
      if (o.variadic && i + 1 == o.params.size()) spec.signature += "...";
    }
    spec.signature += ") -> " + o.returns;
  }
  auto overloads = std::make_shared<const std::vector<scalar::Overload>>(std::move(overloads_));
  spec.bind = [name = name_, overloads](const std::vector<SqlType>& args) -> Result<BoundScalar> {
    Result<const scalar::Overload*> chosen = ResolveOverload(name, *overloads, args);
    if (!chosen.ok()) return chosen.error();
    Result<BoundScalar> bound = (*chosen)->bind(args);
    if (!bound.ok()) return bound;
    ReadTemporalStrings(**chosen, args, *bound);
    // Safety net: a value of an unexpected kind (std::bad_variant_access) or any other exception becomes a
    // per-record error instead of crossing the stage.
    bound->impl = [inner = std::move(bound->impl), name](const std::vector<Value>& a, EvalContext& ctx) -> Value {
      try {
        return inner(a, ctx);
      } catch (const std::exception& e) {
        ctx.Fail(name + ": " + e.what());
        return Value();
      }
    };
    return bound;
  };
  return spec;
}

Result<const Overload*> ResolveOverload(const std::string& function_name, const std::vector<Overload>& overloads,
                                        const std::vector<SqlType>& args) {
  for (bool allow_casts : {false, true}) {
    std::vector<const Overload*> candidates;
    for (const Overload& o : overloads)
      if (OverloadAccepts(o, args, allow_casts)) candidates.push_back(&o);
    if (candidates.empty()) continue;
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Overload* a, const Overload* b) { return Prefer(*a, *b) > 0; });
    if (candidates.size() == 1 || Prefer(*candidates[0], *candidates[1]) > 0) return candidates[0];
    return ConfigError("cannot be resolved due to ambiguous method parameters " +
                       ArgsText(args) + ".\nUse CAST() to explicitly cast your parameters to one of the supported "
                       "function calls.\nValid function calls are:\n" + AlternativesText(function_name, overloads) +
                       "For detailed information on a function run: DESCRIBE FUNCTION <Function-Name>;");
  }
  return ConfigError("does not accept parameters " + ArgsText(args) +
                     ".\nValid alternatives are:\n" + AlternativesText(function_name, overloads) +
                     "For detailed information on a function run: DESCRIBE FUNCTION <Function-Name>;");
}

ImplFactory Returns(SqlType type, ScalarImpl impl) {
  return [type = std::move(type), impl = std::move(impl)](const std::vector<SqlType>&) -> Result<BoundScalar> {
    return BoundScalar{type, impl, true};
  };
}

ImplFactory ReturnsNullAware(SqlType type, ScalarImpl impl) {
  return [type = std::move(type), impl = std::move(impl)](const std::vector<SqlType>&) -> Result<BoundScalar> {
    return BoundScalar{type, impl, false};
  };
}

ImplFactory ReturnsArgType(size_t index, ScalarImpl impl, bool null_if_any_null) {
  return [index, impl = std::move(impl), null_if_any_null](const std::vector<SqlType>& args) -> Result<BoundScalar> {
    SqlType type = index < args.size() ? args[index] : SqlType();
    if (type.id == TypeId::kUnknown) {
      for (const SqlType& a : args)
        if (a.id != TypeId::kUnknown) {
          type = a;
          break;
        }
    }
    return BoundScalar{type, impl, null_if_any_null};
  };
}

SqlType WidestType(const std::vector<SqlType>& types) {
  SqlType out;
  for (const SqlType& t : types) {
    if (t.id == TypeId::kUnknown) continue;
    if (out.id == TypeId::kUnknown || WidensNumber(out.id, t.id)) {
      out = t;
    } else if (out.id == TypeId::kDecimal && t.id == TypeId::kDecimal) {
      int integer_digits = std::max(out.precision - out.scale, t.precision - t.scale);
      int scale = std::max(out.scale, t.scale);
      out = SqlType::Decimal(integer_digits + scale, scale);
    }
  }
  return out;
}

}  // namespace pipeline::sql::scalar
