// Primary expressions: literals, columns, function calls (with lambda arguments), CASE, CAST, constructors.
#include <algorithm>
#include <cmath>

#include "sql/parser/parser.h"
#include "sql/parser/parser_internal.h"

namespace pipeline::sql {

namespace {

ExprPtr Make(ExprKind kind, Position pos) {
  auto e = std::make_shared<Expr>();
  e->kind = kind;
  e->pos = pos;
  return e;
}

ExprPtr Literal(Value v, SqlType type, Position pos) {
  auto e = Make(ExprKind::kLiteral, pos);
  e->value = std::move(v);
  e->literal_type = std::move(type);
  return e;
}

constexpr size_t kMaxDecimalLiteralDigits = 38;

// "12.50" -> DECIMAL(4, 2) with unscaled 1250, as ksqlDB types decimal literals.
Value DecimalLiteral(const std::string& text, SqlType& type) {
  Decimal d;
  int scale = 0;
  int digits = 0;
  bool after_point = false;
  bool leading = true;
  for (char c : text) {
    if (c == '.') { after_point = true; continue; }
    d.unscaled = d.unscaled * 10 + (c - '0');
    if (after_point) ++scale;
    if (c != '0' || after_point || !leading) { leading = false; ++digits; }
  }
  if (digits < scale) digits = scale;
  if (digits == 0) digits = 1;
  d.scale = scale;
  d.precision = digits;
  type = SqlType::Decimal(digits, scale);
  return Value(d);
}

}  // namespace

Result<ExprPtr> Parser::ParsePrimary() {
  const Token t = Peek();
  Position pos{t.line, t.col};
  switch (t.kind) {
    case TokenKind::kInteger: {
      errno = 0;
      char* end = nullptr;
      long long v = std::strtoll(t.text.c_str(), &end, 10);
      if (errno == ERANGE) return ErrorHere("Invalid numeric literal: " + t.text);  // at the literal, not after it
      Next();
      bool fits_int = v <= INT32_MAX;
      return Literal(Value(static_cast<int64_t>(v)), SqlType::Of(fits_int ? TypeId::kInt : TypeId::kBigInt), pos);
    }
    case TokenKind::kDecimal: {
      // Decimal values hold 38 digits (128 bits); a longer literal overflowed into a wrong value unseen.
      const size_t point = t.text.find('.'), first = t.text.find_first_not_of("0.");
      const size_t scale = point == std::string::npos ? 0 : t.text.size() - point - 1;
      size_t digits = first == std::string::npos ? 0 : t.text.size() - first;
      if (digits > 0 && point != std::string::npos && point > first) --digits;  // the point is not a digit
      if (std::max(digits, scale) > kMaxDecimalLiteralDigits)
        return ErrorHere("Decimal literal with more than 38 digits: " + t.text + " (write it as a DOUBLE: 1.5E40)");
      Next();
      SqlType type;
      Value v = DecimalLiteral(t.text, type);
      return Literal(v, type, pos);
    }
    case TokenKind::kDouble: {
      double d = std::strtod(t.text.c_str(), nullptr);
      if (std::isinf(d)) return ErrorHere("Number overflows DOUBLE: " + t.text);
      Next();
      return Literal(Value(d), SqlType::Of(TypeId::kDouble), pos);
    }
    case TokenKind::kString:
      Next();
      return Literal(Value(t.text), SqlType::Of(TypeId::kString), pos);
    case TokenKind::kSymbol: {
      if (t.text == "*") {
        Next();
        return Make(ExprKind::kStar, pos);
      }
      if (t.text == "(") {
        Next();
        auto inner = ParseExpr();
        if (!inner) return inner;
        PIPE_RETURN_IF_ERROR(ExpectSymbol(")"));
        return inner;
      }
      return ErrorHere("unexpected symbol");
    }
    case TokenKind::kQuotedIdent:
    case TokenKind::kIdent: {
      if (t.kind == TokenKind::kIdent) {
        if (t.text == "TRUE" || t.text == "FALSE") {
          Next();
          return Literal(Value(t.text == "TRUE"), SqlType::Of(TypeId::kBoolean), pos);
        }
        if (t.text == "NULL") {
          Next();
          return Literal(Value(), SqlType::Of(TypeId::kUnknown), pos);
        }
        if (t.text == "CASE") {
          Next();
          return ParseCase(pos);
        }
        if (t.text == "CAST" && Peek(1).Is("(")) {
          Next();
          Next();
          auto inner = ParseExpr();
          if (!inner) return inner;
          PIPE_RETURN_IF_ERROR(ExpectWord("AS"));
          auto type = ParseType();
          if (!type) return type.error();
          PIPE_RETURN_IF_ERROR(ExpectSymbol(")"));
          auto e = Make(ExprKind::kCast, pos);
          e->children = {*inner};
          e->literal_type = *type;
          return e;
        }
        if (t.text == "ARRAY" && Peek(1).Is("[")) {
          Next();
          Next();
          auto e = Make(ExprKind::kArrayCtor, pos);
          if (!Peek().Is("]")) {
            do {
              auto item = ParseExpr();
              if (!item) return item;
              e->children.push_back(*item);
            } while (AcceptSymbol(","));
          }
          PIPE_RETURN_IF_ERROR(ExpectSymbol("]"));
          return e;
        }
        if ((t.text == "MAP" || t.text == "STRUCT") && Peek(1).Is("(")) {
          Next();
          Next();
          auto e = Make(t.text == "MAP" ? ExprKind::kMapCtor : ExprKind::kStructCtor, pos);
          if (!Peek().Is(")")) {
            do {
              if (e->kind == ExprKind::kStructCtor) {
                auto name = ParseIdentifier("a field name");
                if (!name) return name.error();
                e->field_names.push_back(*name);
              } else {
                auto k = ParseExpr();
                if (!k) return k;
                e->children.push_back(*k);
              }
              PIPE_RETURN_IF_ERROR(ExpectSymbol(":="));
              auto v = ParseExpr();
              if (!v) return v;
              e->children.push_back(*v);
            } while (AcceptSymbol(","));
          }
          PIPE_RETURN_IF_ERROR(ExpectSymbol(")"));
          return e;
        }
        if (t.text == "INTERVAL" && Peek(1).kind == TokenKind::kInteger) {
          Next();
          auto d = ParseDuration();
          if (!d) return d.error();
          return Literal(Value(*d), SqlType::Of(TypeId::kBigInt), pos);
        }
      }
      Next();
      if (Peek().Is("(") && t.kind == TokenKind::kIdent) return ParseFunctionCall(t);
      if (Peek().Is(".")) {
        Next();
        if (AcceptSymbol("*")) {
          auto e = Make(ExprKind::kStar, pos);
          e->qualifier = t.text;
          return e;
        }
        auto name = ParseIdentifier("a column name");
        if (!name) return name.error();
        auto e = Make(ExprKind::kColumn, pos);
        e->qualifier = t.text;
        e->name = *name;
        return e;
      }
      auto e = Make(ExprKind::kColumn, pos);
      e->name = t.text;
      return e;
    }
    case TokenKind::kEnd:
      return ErrorHere("unexpected end of input");
  }
  return ErrorHere("unexpected token");
}

Result<ExprPtr> Parser::ParseFunctionCall(const Token& name) {
  auto e = Make(ExprKind::kFunction, {name.line, name.col});
  e->op = name.text;
  PIPE_RETURN_IF_ERROR(ExpectSymbol("("));
  if (AcceptSymbol("*")) {
    e->star = true;
    PIPE_RETURN_IF_ERROR(ExpectSymbol(")"));
    return e;
  }
  if (AcceptWord("DISTINCT")) e->distinct = true;
  if (!Peek().Is(")")) {
    ExprPtr unit = TimeUnitArgument(name.text);
    if (unit) e->children.push_back(unit);
    if (!unit || AcceptSymbol(",")) {
      do {
        auto a = AtLambda() ? ParseLambda() : ParseExpr();
        if (!a) return a;
        e->children.push_back(*a);
      } while (AcceptSymbol(","));
    }
  }
  PIPE_RETURN_IF_ERROR(ExpectSymbol(")"));
  return e;
}

// DATEADD(DAYS, 3, d) and the other date/time arithmetic functions take a time unit keyword first (ksqlDB's
// windowUnit argument); it becomes a STRING literal naming the unit. Null when the call has none.
ExprPtr Parser::TimeUnitArgument(const std::string& function) {
  static const char* kTakesUnit[] = {"DATEADD", "DATESUB", "TIMEADD", "TIMESUB", "TIMESTAMPADD", "TIMESTAMPSUB"};
  bool takes_unit = false;
  for (const char* f : kTakesUnit) takes_unit |= function == f;
  const Token& t = Peek();
  if (!takes_unit || t.kind != TokenKind::kIdent || !(Peek(1).Is(",") || Peek(1).Is(")"))) return nullptr;
  bool unit = (UnitToMillis(t.text) != 0 && t.text.rfind("WEEK", 0) != 0) || t.text == "MICROSECOND" ||
              t.text == "MICROSECONDS" || t.text == "NANOSECOND" || t.text == "NANOSECONDS";
  if (!unit) return nullptr;
  auto e = Make(ExprKind::kInterval, Pos());
  e->value = Value(Next().text);
  e->literal_type = SqlType::Of(TypeId::kString);
  return e;
}

// A lambda starts here: "x =>" or "(x, y, ...) =>". Lambdas are function arguments only (as in ksqlDB), so
// "(x)" elsewhere stays a parenthesised expression.
bool Parser::AtLambda() const {
  auto is_name = [&](size_t k) { return Peek(k).kind == TokenKind::kIdent || Peek(k).kind == TokenKind::kQuotedIdent; };
  if (is_name(0)) return Peek(1).Is("=>");
  if (!Peek().Is("(")) return false;
  size_t k = 1;
  while (is_name(k) && Peek(k + 1).Is(",")) k += 2;
  return is_name(k) && Peek(k + 1).Is(")") && Peek(k + 2).Is("=>");
}

Result<ExprPtr> Parser::ParseLambda() {
  auto e = Make(ExprKind::kLambda, Pos());
  bool parenthesised = AcceptSymbol("(");
  do {
    e->field_names.push_back(Next().text);
  } while (parenthesised && AcceptSymbol(","));
  if (parenthesised) PIPE_RETURN_IF_ERROR(ExpectSymbol(")"));
  PIPE_RETURN_IF_ERROR(ExpectSymbol("=>"));
  auto body = ParseExpr();
  if (!body) return body;
  e->children = {*body};
  return e;
}

Result<ExprPtr> Parser::ParseCase(Position pos) {
  auto e = Make(ExprKind::kCase, pos);
  if (!Peek().IsWord("WHEN")) {
    auto operand = ParseExpr();
    if (!operand) return operand;
    e->has_operand = true;
    e->children.push_back(*operand);
  }
  bool any = false;
  while (AcceptWord("WHEN")) {
    auto w = ParseExpr();
    if (!w) return w;
    PIPE_RETURN_IF_ERROR(ExpectWord("THEN"));
    auto th = ParseExpr();
    if (!th) return th;
    e->children.push_back(*w);
    e->children.push_back(*th);
    any = true;
  }
  if (!any) return ErrorHere("CASE needs at least one WHEN");
  if (AcceptWord("ELSE")) {
    auto el = ParseExpr();
    if (!el) return el;
    e->children.push_back(*el);
    e->negated = true;  // marks "has ELSE"
  }
  PIPE_RETURN_IF_ERROR(ExpectWord("END"));
  return e;
}

}  // namespace pipeline::sql
