// CAST(x AS type) with ksqlDB's rules: numbers truncate toward zero into integers, strings parse (a bad string
// is a processing error and NULL), decimals round HALF_UP, composite types convert element by element.
#include <cmath>
#include <cstdlib>

#include "core/civil_date.h"
#include "core/decimal.h"
#include "sql/exec/value_convert.h"
#include "sql/functions/scalar/java_text.h"

namespace pipeline::sql {

namespace {

std::string Trim(const std::string& s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

}  // namespace

std::string ValueToSqlString(const Value& v, const SqlType& type) {
  switch (v.kind()) {
    case Value::Kind::kNull: return "null";
    case Value::Kind::kBool: return v.as_bool() ? "true" : "false";
    case Value::Kind::kInt: return std::to_string(v.as_int());
    case Value::Kind::kDouble: return scalar::JavaDoubleString(v.as_double());
    case Value::Kind::kDecimal: return v.as_decimal().ToString();
    case Value::Kind::kString: return v.as_string();
    case Value::Kind::kDate: return IsoDate(v.as_date().days);
    case Value::Kind::kTime: return FormatTime(v.as_time().millis);
    case Value::Kind::kTimestamp: return IsoTimestamp(v.as_timestamp().millis);
    case Value::Kind::kArray: {
      std::string s = "[";
      const SqlType elem = type.element ? *type.element : SqlType();
      for (size_t i = 0; i < v.as_array().size(); ++i) s += (i ? ", " : "") + ValueToSqlString(v.as_array()[i], elem);
      return s + "]";
    }
    case Value::Kind::kMap: {
      std::string s = "{";
      const SqlType elem = type.element ? *type.element : SqlType();
      bool first = true;
      for (const auto& [k, val] : v.as_map()) {
        s += (first ? "" : ", ") + k.ToString() + "=" + ValueToSqlString(val, elem);
        first = false;
      }
      return s + "}";
    }
    case Value::Kind::kStruct: {
      std::string s = "Struct{";
      const Struct& st = v.as_struct();
      bool first = true;
      for (size_t i = 0; i < st.size(); ++i) {
        if (st.values[i].is_null()) continue;
        SqlType ft = i < type.fields.size() && type.fields[i].type ? *type.fields[i].type : SqlType();
        s += (first ? "" : ",") + st.name(i) + "=" + ValueToSqlString(st.values[i], ft);
        first = false;
      }
      return s + "}";
    }
    default: return v.ToString();
  }
}

Value TypeConverter::Cast(const Value& in, const SqlType& from, EvalContext& ctx) const {
  if (in.is_null()) return Value();
  auto fail = [&](const std::string& why) {
    ctx.Fail("Cannot cast " + ValueToSqlString(in, from) + " to " + type_.ToString() + (why.empty() ? "" : ": " + why));
    return Value();
  };
  switch (type_.id) {
    case TypeId::kUnknown: return in;
    case TypeId::kString: return Value(ValueToSqlString(in, from));
    case TypeId::kBoolean:
      if (in.is_bool()) return in;
      if (in.is_string()) {
        std::string s = Trim(in.as_string());
        for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (s == "true" || s == "t" || s == "yes" || s == "y") return Value(true);
        if (s == "false" || s == "f" || s == "no" || s == "n") return Value(false);
        return fail("not a boolean");
      }
      return fail("");
    case TypeId::kInt:
    case TypeId::kBigInt: {
      int64_t v = 0;
      if (in.is_int()) v = in.as_int();
      else if (in.is_double()) {
        double d = in.as_double();
        if (type_.id == TypeId::kInt) {
          v = std::isnan(d) ? 0 : d >= 2147483647.0 ? INT32_MAX : d <= -2147483648.0 ? INT32_MIN : static_cast<int64_t>(d);
        } else {
          v = std::isnan(d) ? 0 : d >= 9.2233720368547758e18 ? INT64_MAX : d <= -9.2233720368547758e18 ? INT64_MIN : static_cast<int64_t>(d);
        }
      } else if (in.is_decimal()) {
        v = static_cast<int64_t>(in.as_decimal().unscaled / Pow10(in.as_decimal().scale));
      } else if (in.is_string()) {
        std::string s = Trim(in.as_string());
        char* end = nullptr;
        errno = 0;
        long long parsed = std::strtoll(s.c_str(), &end, 10);
        if (s.empty() || *end != '\0' || errno == ERANGE) return fail("not a number");
        v = parsed;
        if (type_.id == TypeId::kInt && (v > INT32_MAX || v < INT32_MIN)) return fail("out of range");
      } else if (in.kind() == Value::Kind::kTimestamp) {
        v = in.as_timestamp().millis;
      } else {
        return fail("");
      }
      if (type_.id == TypeId::kInt) v = WrapInt32(v);
      return Value(v);
    }
    case TypeId::kDouble:
      if (in.is_number()) return Value(in.ToDouble());
      if (in.is_string()) {
        std::string s = Trim(in.as_string());
        char* end = nullptr;
        double d = std::strtod(s.c_str(), &end);
        if (s.empty() || *end != '\0') return fail("not a number");
        return Value(d);
      }
      return fail("");
    case TypeId::kDecimal: {
      std::optional<Decimal> d;
      if (in.is_int()) d = DecimalFromInt(in.as_int());
      else if (in.is_decimal()) d = in.as_decimal();
      else if (in.is_double()) d = ParseDecimal(scalar::JavaDoubleString(in.as_double()));
      else if (in.is_string()) d = ParseDecimal(Trim(in.as_string()));
      if (!d) return fail("not a number");
      auto fit = FitDecimal(*d, type_.precision, type_.scale);
      if (!fit) return fail("out of range");
      return Value(*fit);
    }
    case TypeId::kBytes:
      if (in.is_bytes()) return in;
      return fail("");
    case TypeId::kDate:
      if (in.kind() == Value::Kind::kDate) return in;
      if (in.kind() == Value::Kind::kTimestamp) {
        int64_t ms = in.as_timestamp().millis;
        int64_t days = ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
        return Value(Date{static_cast<int32_t>(days)});
      }
      if (in.is_string()) {
        auto d = ParseDate(Trim(in.as_string()));
        if (!d) return fail("Required format is: \"yyyy-MM-dd\"");
        return Value(Date{*d});
      }
      return fail("");
    case TypeId::kTime:
      if (in.kind() == Value::Kind::kTime) return in;
      if (in.kind() == Value::Kind::kTimestamp) {
        int64_t ms = in.as_timestamp().millis % 86400000;
        if (ms < 0) ms += 86400000;
        return Value(Time{ms});
      }
      if (in.is_string()) {
        auto t = ParseTime(Trim(in.as_string()));
        if (!t) return fail("Required format is: \"HH:mm:ss.SSS\"");
        return Value(Time{*t});
      }
      return fail("");
    case TypeId::kTimestamp:
      if (in.kind() == Value::Kind::kTimestamp) return in;
      if (in.kind() == Value::Kind::kDate) return Value(Timestamp{in.as_date().days * 86400000LL});
      if (in.is_string()) {
        auto t = ParseTimestamp(Trim(in.as_string()));
        if (!t) return fail("Required format is: \"yyyy-MM-dd'T'HH:mm:ss.SSS\"");
        return Value(Timestamp{*t});
      }
      return fail("");
    case TypeId::kArray: {
      if (!in.is_array()) return fail("");
      Array a;
      SqlType from_elem = from.element ? *from.element : SqlType();
      for (const auto& e : in.as_array()) a.push_back(children_[0].Cast(e, from_elem, ctx));
      return Value(std::move(a));
    }
    case TypeId::kMap: {
      if (!in.is_map()) return fail("");
      Map m;
      SqlType from_elem = from.element ? *from.element : SqlType();
      for (const auto& [k, v] : in.as_map()) m.emplace_back(k, children_[0].Cast(v, from_elem, ctx));
      return Value(std::move(m));
    }
    case TypeId::kStruct: {
      if (!in.is_struct()) return fail("");
      const Struct& src = in.as_struct();
      Struct s;
      s.names = names_;
      s.values.resize(children_.size());
      for (size_t i = 0; i < children_.size(); ++i) {
        int idx = src.names->IndexOfIgnoreCase(names_->names[i]);
        if (idx < 0) continue;
        SqlType ft = static_cast<size_t>(idx) < from.fields.size() && from.fields[idx].type ? *from.fields[idx].type : SqlType();
        s.values[i] = children_[i].Cast(src.values[idx], ft, ctx);
      }
      return Value(std::move(s));
    }
  }
  return fail("");
}

}  // namespace pipeline::sql
