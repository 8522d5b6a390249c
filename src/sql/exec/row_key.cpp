#include "sql/exec/row_key.h"

#include <charconv>

#include "core/decimal.h"

namespace pipeline::sql {

namespace {

// Appends without temporaries: keys are built for every record of every stateful query.
void AppendTagged(char tag, int64_t n, std::string& out) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
  out += tag;
  out.append(buf, end);
}

}  // namespace

void AppendKeyBytes(const Value& v, std::string& out) {
  switch (v.kind()) {
    case Value::Kind::kNull: out += 'n'; break;
    case Value::Kind::kBool: out += v.as_bool() ? 't' : 'f'; break;
    case Value::Kind::kInt: AppendTagged('i', v.as_int(), out); break;
    case Value::Kind::kDouble: {
      double d = v.as_double();
      if (d == static_cast<double>(static_cast<int64_t>(d))) AppendTagged('i', static_cast<int64_t>(d), out);
      else out += "d" + std::to_string(d);
      break;
    }
    case Value::Kind::kDecimal: out += "m" + v.as_decimal().ToString(); break;
    case Value::Kind::kString:
      out += 's';
      out += v.as_string();
      break;
    case Value::Kind::kArray:
      out += "[";
      for (const auto& e : v.as_array()) { AppendKeyBytes(e, out); out += ','; }
      out += "]";
      break;
    case Value::Kind::kStruct:
      out += "{";
      for (const auto& e : v.as_struct().values) { AppendKeyBytes(e, out); out += ','; }
      out += "}";
      break;
    default: out += "x" + v.ToString(); break;
  }
  out += '\x1f';
}

void AppendKeyOf(const std::vector<Value>& values, size_t begin, size_t end, std::string& out) {
  for (size_t i = begin; i < end && i < values.size(); ++i) AppendKeyBytes(values[i], out);
}

std::string KeyOf(const std::vector<Value>& values, size_t begin, size_t end) {
  std::string k;
  AppendKeyOf(values, begin, end, k);
  return k;
}

}  // namespace pipeline::sql
