#include "sql/binder/type_rules.h"

#include <algorithm>

namespace pipeline::sql {

SqlType AsDecimalType(const SqlType& t) {
  if (t.id == TypeId::kInt) return SqlType::Decimal(10, 0);
  if (t.id == TypeId::kBigInt) return SqlType::Decimal(19, 0);
  return t;
}

std::optional<SqlType> WidenNumeric(const SqlType& a, const SqlType& b) {
  if (!a.is_numeric() || !b.is_numeric()) return std::nullopt;
  if (a.id == TypeId::kDouble || b.id == TypeId::kDouble) return SqlType::Of(TypeId::kDouble);
  if (a.id == TypeId::kDecimal || b.id == TypeId::kDecimal) {
    SqlType x = AsDecimalType(a), y = AsDecimalType(b);
    int scale = std::max(x.scale, y.scale);
    int integral = std::max(x.precision - x.scale, y.precision - y.scale);
    return SqlType::Decimal(std::min(38, integral + scale), scale);
  }
  if (a.id == TypeId::kBigInt || b.id == TypeId::kBigInt) return SqlType::Of(TypeId::kBigInt);
  return SqlType::Of(TypeId::kInt);
}

SqlType DecimalResultType(char op, const SqlType& a0, const SqlType& b0) {
  SqlType a = AsDecimalType(a0), b = AsDecimalType(b0);
  int p1 = a.precision, s1 = a.scale, p2 = b.precision, s2 = b.scale;
  int p = 0, s = 0;
  switch (op) {
    case '+':
    case '-':
      s = std::max(s1, s2);
      p = std::max(p1 - s1, p2 - s2) + s + 1;
      break;
    case '*':
      p = p1 + p2 + 1;
      s = s1 + s2;
      break;
    case '/':
      s = std::max(6, s1 + p2 + 1);
      p = p1 - s1 + s2 + s;
      break;
    case '%':
      s = std::max(s1, s2);
      p = std::min(p1 - s1, p2 - s2) + s;
      break;
  }
  if (p > 38) {
    int excess = p - 38;
    p = 38;
    s = std::max(std::min(s, 6), s - excess);
  }
  return SqlType::Decimal(std::max(p, 1), s);
}

bool ImplicitlyConvertible(const SqlType& from, const SqlType& to) {
  if (from.id == TypeId::kUnknown || from == to) return true;
  if (from.is_numeric() && to.is_numeric()) {
    if (to.id == TypeId::kDouble) return true;
    if (to.id == TypeId::kDecimal) return from.id != TypeId::kDouble;
    if (to.id == TypeId::kBigInt) return from.id == TypeId::kInt;
    return false;
  }
  if (from.id != to.id) return false;
  if (from.id == TypeId::kArray || from.id == TypeId::kMap)
    return from.element && to.element && ImplicitlyConvertible(*from.element, *to.element);
  return from.id == TypeId::kStruct;
}

bool Comparable(const SqlType& a, const SqlType& b) {
  if (a.id == TypeId::kUnknown || b.id == TypeId::kUnknown) return true;
  if (a.is_numeric() && b.is_numeric()) return true;
  auto temporal = [](TypeId t) { return t == TypeId::kTimestamp || t == TypeId::kDate || t == TypeId::kTime; };
  if (temporal(a.id) && (b.id == TypeId::kString)) return true;
  if (temporal(b.id) && (a.id == TypeId::kString)) return true;
  if ((a.id == TypeId::kTimestamp && b.id == TypeId::kDate) || (a.id == TypeId::kDate && b.id == TypeId::kTimestamp)) return true;
  return a.id == b.id;
}

std::optional<SqlType> CommonType(const SqlType& a, const SqlType& b) {
  if (a.id == TypeId::kUnknown) return b;
  if (b.id == TypeId::kUnknown) return a;
  if (a == b) return a;
  if (a.is_numeric() && b.is_numeric()) return WidenNumeric(a, b);
  if (a.id == b.id && (a.id == TypeId::kArray || a.id == TypeId::kMap) && a.element && b.element) {
    auto e = CommonType(*a.element, *b.element);
    if (!e) return std::nullopt;
    return a.id == TypeId::kArray ? SqlType::Array(*e) : SqlType::Map(a.key ? *a.key : SqlType::Of(TypeId::kString), *e);
  }
  if (a.id == b.id) return a;
  return std::nullopt;
}

}  // namespace pipeline::sql
