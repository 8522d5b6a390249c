// Expression half of the grammar: precedence climbing from OR down to primaries and postfix -> / [ ].
#include "sql/parser/expr_format.h"
#include "sql/parser/parser_internal.h"

namespace pipeline::sql {

namespace {

ExprPtr Make(ExprKind kind, Position pos) {
  auto e = std::make_shared<Expr>();
  e->kind = kind;
  e->pos = pos;
  return e;
}

ExprPtr Binary(const std::string& op, ExprPtr l, ExprPtr r) {
  auto e = Make(ExprKind::kBinary, l->pos);
  e->op = op;
  e->children = {std::move(l), std::move(r)};
  return e;
}

}  // namespace

Result<ExprPtr> Parser::ParseExpr() {
  return Nested([this] { return ParseOr(); });
}

Result<ExprPtr> Parser::ParseOr() {
  auto l = ParseAnd();
  if (!l) return l;
  ExprPtr e = *l;
  while (AcceptWord("OR")) {
    auto r = ParseAnd();
    if (!r) return r;
    e = Binary("OR", e, *r);
  }
  return e;
}

Result<ExprPtr> Parser::ParseAnd() {
  auto l = ParseNot();
  if (!l) return l;
  ExprPtr e = *l;
  while (AcceptWord("AND")) {
    auto r = ParseNot();
    if (!r) return r;
    e = Binary("AND", e, *r);
  }
  return e;
}

Result<ExprPtr> Parser::ParseNot() {
  Position pos = Pos();
  if (AcceptWord("NOT")) {
    auto inner = Nested([this] { return ParseNot(); });
    if (!inner) return inner;
    auto e = Make(ExprKind::kUnary, pos);
    e->op = "NOT";
    e->children = {*inner};
    return e;
  }
  return ParsePredicate();
}

Result<ExprPtr> Parser::ParsePredicate() {
  auto l = ParseConcat();
  if (!l) return l;
  ExprPtr e = *l;
  for (;;) {
    const Token& t = Peek();
    if (t.kind == TokenKind::kSymbol &&
        (t.text == "=" || t.text == "<>" || t.text == "!=" || t.text == "<" || t.text == "<=" || t.text == ">" ||
         t.text == ">=")) {
      std::string op = Next().text;
      if (op == "!=") op = "<>";
      auto r = ParseConcat();
      if (!r) return r;
      e = Binary(op, e, *r);
      continue;
    }
    if (t.IsWord("IS")) {
      Next();
      bool negated = AcceptWord("NOT");
      if (AcceptWord("NULL")) {
        auto n = Make(ExprKind::kIsNull, e->pos);
        n->negated = negated;
        n->children = {e};
        e = n;
        continue;
      }
      if (AcceptWord("DISTINCT")) {
        PIPE_RETURN_IF_ERROR(ExpectWord("FROM"));
        auto r = ParseConcat();
        if (!r) return r;
        auto n = Make(ExprKind::kIsDistinct, e->pos);
        n->negated = negated;
        n->children = {e, *r};
        e = n;
        continue;
      }
      return ErrorHere("expected NULL or DISTINCT FROM");
    }
    bool negated = false;
    if (t.IsWord("NOT") && (Peek(1).IsWord("LIKE") || Peek(1).IsWord("IN") || Peek(1).IsWord("BETWEEN"))) {
      Next();
      negated = true;
    }
    if (AcceptWord("LIKE")) {
      auto pattern = ParseConcat();
      if (!pattern) return pattern;
      auto n = Make(ExprKind::kLike, e->pos);
      n->negated = negated;
      n->children = {e, *pattern};
      if (AcceptWord("ESCAPE")) {
        auto esc = ParseConcat();
        if (!esc) return esc;
        n->children.push_back(*esc);
      }
      e = n;
      continue;
    }
    if (AcceptWord("IN")) {
      PIPE_RETURN_IF_ERROR(ExpectSymbol("("));
      auto n = Make(ExprKind::kIn, e->pos);
      n->negated = negated;
      n->children = {e};
      if (!Peek().Is(")")) {
        do {
          auto item = ParseExpr();
          if (!item) return item;
          n->children.push_back(*item);
        } while (AcceptSymbol(","));
      }
      PIPE_RETURN_IF_ERROR(ExpectSymbol(")"));
      e = n;
      continue;
    }
    if (AcceptWord("BETWEEN")) {
      auto lo = ParseConcat();
      if (!lo) return lo;
      PIPE_RETURN_IF_ERROR(ExpectWord("AND"));
      auto hi = ParseConcat();
      if (!hi) return hi;
      auto n = Make(ExprKind::kBetween, e->pos);
      n->negated = negated;
      n->children = {e, *lo, *hi};
      e = n;
      continue;
    }
    if (negated) return ErrorHere("expected LIKE, IN or BETWEEN");
    break;
  }
  return e;
}

Result<ExprPtr> Parser::ParseConcat() {
  auto l = ParseAdditive();
  if (!l) return l;
  ExprPtr e = *l;
  while (AcceptSymbol("||")) {
    auto r = ParseAdditive();
    if (!r) return r;
    e = Binary("||", e, *r);
  }
  return e;
}

Result<ExprPtr> Parser::ParseAdditive() {
  auto l = ParseMultiplicative();
  if (!l) return l;
  ExprPtr e = *l;
  while (Peek().Is("+") || Peek().Is("-")) {
    std::string op = Next().text;
    auto r = ParseMultiplicative();
    if (!r) return r;
    e = Binary(op, e, *r);
  }
  return e;
}

Result<ExprPtr> Parser::ParseMultiplicative() {
  auto l = ParseUnary();
  if (!l) return l;
  ExprPtr e = *l;
  while (Peek().Is("*") || Peek().Is("/") || Peek().Is("%")) {
    std::string op = Next().text;
    auto r = ParseUnary();
    if (!r) return r;
    e = Binary(op, e, *r);
  }
  return e;
}

Result<ExprPtr> Parser::ParseUnary() {
  Position pos = Pos();
  if (Peek().Is("-") || Peek().Is("+")) {
    std::string op = Next().text;
    auto inner = Nested([this] { return ParseUnary(); });
    if (!inner) return inner;
    // Fold "-5" into a literal so that -2147483648 stays an INT, as ksqlDB reads it.
    if (op == "-" && (*inner)->kind == ExprKind::kLiteral && (*inner)->value.is_number()) {
      ExprPtr lit = *inner;
      if (lit->value.is_int()) {
        int64_t v = -lit->value.as_int();
        lit->value = Value(v);
        if (lit->literal_type.id == TypeId::kBigInt && v >= INT32_MIN) lit->literal_type = SqlType::Of(TypeId::kInt);
      } else if (lit->value.is_double()) {
        lit->value = Value(-lit->value.as_double());
      } else {
        Decimal d = lit->value.as_decimal();
        d.unscaled = -d.unscaled;
        lit->value = Value(d);
      }
      lit->pos = pos;
      return lit;
    }
    auto e = Make(ExprKind::kUnary, pos);
    e->op = op;
    e->children = {*inner};
    return e;
  }
  return ParsePostfix();
}

Result<ExprPtr> Parser::ParsePostfix() {
  auto p = ParsePrimary();
  if (!p) return p;
  ExprPtr e = *p;
  for (;;) {
    if (AcceptSymbol("->")) {
      if (Peek().Is("*")) {  // struct->*: every field, in the SELECT list
        Next();
        auto n = Make(ExprKind::kStar, e->pos);
        n->children = {e};
        e = n;
        break;
      }
      auto f = ParseIdentifier("a field name");
      if (!f) return f.error();
      auto n = Make(ExprKind::kDereference, e->pos);
      n->name = *f;
      n->children = {e};
      e = n;
    } else if (AcceptSymbol("[")) {
      auto idx = ParseExpr();
      if (!idx) return idx;
      PIPE_RETURN_IF_ERROR(ExpectSymbol("]"));
      auto n = Make(ExprKind::kSubscript, e->pos);
      n->children = {e, *idx};
      e = n;
    } else {
      break;
    }
  }
  return e;
}

}  // namespace pipeline::sql
