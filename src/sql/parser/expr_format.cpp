#include "sql/parser/expr_format.h"

namespace pipeline::sql {

namespace {

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string List(const std::vector<ExprPtr>& items, size_t from) {
  std::string s;
  for (size_t i = from; i < items.size(); ++i) {
    if (i > from) s += ", ";
    s += FormatExpr(*items[i]);
  }
  return s;
}

}  // namespace

std::string FormatExpr(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kLiteral:
      if (e.value.is_null()) return "null";
      if (e.value.is_string()) return Quote(e.value.as_string());
      if (e.value.is_bool()) return e.value.as_bool() ? "true" : "false";
      return e.value.ToString();
    case ExprKind::kColumn: return e.qualifier.empty() ? e.name : e.qualifier + "." + e.name;
    case ExprKind::kStar:
      if (!e.children.empty()) return FormatExpr(*e.children[0]) + "->*";
      return e.qualifier.empty() ? "*" : e.qualifier + ".*";
    case ExprKind::kUnary:
      return e.op == "NOT" ? "(NOT " + FormatExpr(*e.children[0]) + ")" : "(" + e.op + FormatExpr(*e.children[0]) + ")";
    case ExprKind::kBinary:
      return "(" + FormatExpr(*e.children[0]) + " " + e.op + " " + FormatExpr(*e.children[1]) + ")";
    case ExprKind::kFunction:
      if (e.star) return e.op + "(*)";
      return e.op + "(" + std::string(e.distinct ? "DISTINCT " : "") + List(e.children, 0) + ")";
    case ExprKind::kCase: {
      std::string s = "(CASE";
      size_t i = 0;
      if (e.has_operand) s += " " + FormatExpr(*e.children[i++]);
      size_t pairs_end = e.children.size() - (e.negated ? 1 : 0);
      for (; i + 1 < pairs_end + 1 && i < pairs_end; i += 2)
        s += " WHEN " + FormatExpr(*e.children[i]) + " THEN " + FormatExpr(*e.children[i + 1]);
      if (e.negated) s += " ELSE " + FormatExpr(*e.children.back());
      return s + " END)";
    }
    case ExprKind::kCast: return "CAST(" + FormatExpr(*e.children[0]) + " AS " + e.literal_type.ToString() + ")";
    case ExprKind::kLike: {
      std::string s = "(" + FormatExpr(*e.children[0]) + (e.negated ? " NOT LIKE " : " LIKE ") + FormatExpr(*e.children[1]);
      if (e.children.size() > 2) s += " ESCAPE " + FormatExpr(*e.children[2]);
      return s + ")";
    }
    case ExprKind::kIn:
      return "(" + FormatExpr(*e.children[0]) + (e.negated ? " NOT IN (" : " IN (") + List(e.children, 1) + "))";
    case ExprKind::kBetween:
      return "(" + FormatExpr(*e.children[0]) + (e.negated ? " NOT BETWEEN " : " BETWEEN ") +
             FormatExpr(*e.children[1]) + " AND " + FormatExpr(*e.children[2]) + ")";
    case ExprKind::kIsNull: return "(" + FormatExpr(*e.children[0]) + (e.negated ? " IS NOT NULL)" : " IS NULL)");
    case ExprKind::kIsDistinct:
      return "(" + FormatExpr(*e.children[0]) + (e.negated ? " IS NOT DISTINCT FROM " : " IS DISTINCT FROM ") +
             FormatExpr(*e.children[1]) + ")";
    case ExprKind::kDereference: return FormatExpr(*e.children[0]) + "->" + e.name;
    case ExprKind::kSubscript: return FormatExpr(*e.children[0]) + "[" + FormatExpr(*e.children[1]) + "]";
    case ExprKind::kArrayCtor: return "ARRAY[" + List(e.children, 0) + "]";
    case ExprKind::kMapCtor: {
      std::string s = "MAP(";
      for (size_t i = 0; i + 1 < e.children.size(); i += 2) {
        if (i) s += ", ";
        s += FormatExpr(*e.children[i]) + ":=" + FormatExpr(*e.children[i + 1]);
      }
      return s + ")";
    }
    case ExprKind::kStructCtor: {
      std::string s = "STRUCT(";
      for (size_t i = 0; i < e.children.size(); ++i) {
        if (i) s += ", ";
        s += e.field_names[i] + ":=" + FormatExpr(*e.children[i]);
      }
      return s + ")";
    }
    case ExprKind::kLambda: {
      std::string s = "(";
      for (size_t i = 0; i < e.field_names.size(); ++i) s += (i ? ", " : "") + e.field_names[i];
      return s + ") => " + FormatExpr(*e.children[0]);
    }
    case ExprKind::kInterval: return e.value.ToString();
  }
  return "?";
}

}  // namespace pipeline::sql
