#include "sql/binder/expression_binder.h"

#include "sql/binder/type_rules.h"
#include "sql/exec/value_convert.h"
#include "sql/functions/function_docs.h"
#include "sql/functions/scalar_function.h"
#include "sql/parser/expr_format.h"

namespace pipeline::sql {

namespace {

Error At(Position pos, const std::string& msg) { return ConfigError(pos.ToString() + ": " + msg); }

std::string CmpName(const std::string& op) {
  if (op == "=") return "EQUAL";
  if (op == "<>") return "NOT_EQUAL";
  if (op == "<") return "LESS_THAN";
  if (op == "<=") return "LESS_THAN_OR_EQUAL";
  if (op == ">") return "GREATER_THAN";
  return "GREATER_THAN_OR_EQUAL";
}

}  // namespace

Result<BoundExprPtr> CoerceTo(BoundExprPtr e, const SqlType& to, Position pos) {
  const SqlType& from = e->type();
  if (from == to || from.id == TypeId::kUnknown) return e;
  if (from.is_numeric() && to.is_numeric()) {
    if (ImplicitlyConvertible(from, to)) return MakeCast(e, to);
    return e;
  }
  if (const Value* c = e->constant(); c && c->is_string()) {
    EvalContext ctx;
    TypeConverter conv(to);
    Value v = conv.Cast(*c, from, ctx);
    if ((ctx.errors || v.is_null()) && to.id == TypeId::kBigInt) {
      // ROWTIME / WINDOWSTART compared with a timestamp string: ksqlDB reads it as epoch milliseconds.
      if (auto ts = ParseTimestamp(c->as_string())) return MakeLiteral(Value(*ts), to);
    }
    if (ctx.errors || v.is_null())
      return At(pos, "invalid input syntax for type " + to.ToString() + ": \"" + c->as_string() + "\"");
    return MakeLiteral(v, to);
  }
  return e;
}

Result<std::vector<BoundExprPtr>> ExpressionBinder::BindAll(const std::vector<ExprPtr>& items, size_t from) {
  std::vector<BoundExprPtr> out;
  for (size_t i = from; i < items.size(); ++i) {
    auto b = Bind(*items[i]);
    if (!b) return b.error();
    out.push_back(*b);
  }
  return out;
}

Result<BoundExprPtr> ExpressionBinder::Bind(const Expr& e) {
  // A lambda parameter is no column, so the planner's hook (GROUP BY matching, aggregates) never sees it.
  if (const LambdaVariable* v = FindLambdaVariable(e)) return MakeLambdaParamRef(v->slot, v->type);
  if (hook_) {
    auto h = hook_(e);
    if (!h) return h;
    if (*h) return h;
  }
  return BindNode(e);
}

// An IN-list item (or a constructor element inside one) made comparable with the tested value: string literals
// are parsed, other literals shown as strings, constructors rebuilt with the target's element types.
Result<BoundExprPtr> ExpressionBinder::CoerceItem(const Expr& ast, const SqlType& target) {
  if (ast.kind == ExprKind::kLiteral && !ast.value.is_null() && target.id != TypeId::kUnknown) {
    if (ast.value.is_string() && target.id != TypeId::kString) {
      if (target.is_numeric()) {
        EvalContext ctx;
        Value d = TypeConverter(SqlType::Of(TypeId::kDouble)).Cast(ast.value, SqlType::Of(TypeId::kString), ctx);
        if (ctx.errors) return At(ast.pos, "invalid input syntax for type " + target.ToString() + ": \"" + ast.value.as_string() + "\"");
        return MakeLiteral(d, SqlType::Of(TypeId::kDouble));
      }
      if (target.id == TypeId::kBoolean) {
        std::string l;
        for (char c : ast.value.as_string()) l += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        auto prefix_of = [&](const char* w) { return !l.empty() && std::string(w).rfind(l, 0) == 0; };
        if (prefix_of("true") || prefix_of("yes")) return MakeLiteral(Value(true), target);
        if (prefix_of("false") || prefix_of("no")) return MakeLiteral(Value(false), target);
        return At(ast.pos, "invalid input syntax for type BOOLEAN: \"" + ast.value.as_string() + "\"");
      }
      auto bound = Bind(ast);
      if (!bound) return bound;
      return CoerceTo(*bound, target, ast.pos);
    }
    if (!ast.value.is_string() && target.id == TypeId::kString)
      return MakeLiteral(Value(ValueToSqlString(ast.value, ast.literal_type)), target);
  }
  auto elem_of = [](const SqlType& t) { return t.element ? *t.element : SqlType(); };
  if (ast.kind == ExprKind::kArrayCtor && target.id == TypeId::kArray) {
    std::vector<BoundExprPtr> items;
    for (const auto& c : ast.children) {
      auto item = CoerceItem(*c, elem_of(target));
      if (!item) return item;
      items.push_back(*item);
    }
    return MakeArrayCtor(std::move(items), target);
  }
  if (ast.kind == ExprKind::kMapCtor && target.id == TypeId::kMap) {
    std::vector<BoundExprPtr> keys, values;
    for (size_t i = 0; i + 1 < ast.children.size(); i += 2) {
      auto k = CoerceItem(*ast.children[i], SqlType::Of(TypeId::kString));
      if (!k) return k;
      auto v = CoerceItem(*ast.children[i + 1], elem_of(target));
      if (!v) return v;
      keys.push_back(*k);
      values.push_back(*v);
    }
    return MakeMapCtor(std::move(keys), std::move(values), target);
  }
  if (ast.kind == ExprKind::kStructCtor && target.id == TypeId::kStruct) {
    std::vector<BoundExprPtr> values;
    for (const auto& f : target.fields) {
      BoundExprPtr v = MakeLiteral(Value(), *f.type);
      for (size_t i = 0; i < ast.field_names.size(); ++i) {
        if (ast.field_names[i] != f.name) continue;
        auto c = CoerceItem(*ast.children[i], *f.type);
        if (!c) return c;
        v = *c;
      }
      values.push_back(v);
    }
    return MakeStructCtor(std::move(values), target);
  }
  auto bound = Bind(ast);
  if (!bound) return bound;
  const SqlType& t = (*bound)->type();
  if (t.id == TypeId::kUnknown || target.id == TypeId::kUnknown) return bound;
  if (!Comparable(t, target) ||
      ((t.id == TypeId::kArray || t.id == TypeId::kMap || t.id == TypeId::kStruct) && !ImplicitlyConvertible(t, target) &&
       !ImplicitlyConvertible(target, t)))
    return At(ast.pos, "invalid input syntax: cannot compare " + t.ToString() + " to " + target.ToString());
  if (t.is_numeric() && target.is_numeric()) return bound;
  return CoerceTo(*bound, target, ast.pos);
}

Result<BoundExprPtr> ExpressionBinder::BindPredicate(const Expr& e, const char* clause) {
  auto b = Bind(e);
  if (!b) return ConfigError(std::string("Error in ") + clause + " expression: " + b.error().message());
  if ((*b)->type().id != TypeId::kBoolean && (*b)->type().id != TypeId::kUnknown)
    return At(e.pos, std::string("Type error in ") + clause + " expression: Should evaluate to boolean but is " +
                         FormatExpr(e) + " (" + (*b)->type().ToString() + ") instead.");
  return b;
}

Result<BoundExprPtr> ExpressionBinder::BindColumn(const Expr& e) {
  bool real = false;
  for (const auto& c : scope_.columns) real |= c.name == e.name && (e.qualifier.empty() || c.qualifier == e.qualifier);
  if (!real) {
    if (e.name == "ROWTIME") return MakePseudoRef(PseudoColumn::kRowTime, SqlType::Of(TypeId::kBigInt));
    if (e.name == "ROWPARTITION" && scope_.has_row_meta) return MakePseudoRef(PseudoColumn::kRowPartition, SqlType::Of(TypeId::kInt));
    if (e.name == "ROWOFFSET" && scope_.has_row_meta) return MakePseudoRef(PseudoColumn::kRowOffset, SqlType::Of(TypeId::kBigInt));
    if (e.name == "WINDOWSTART" || e.name == "WINDOWEND") {
      if (!scope_.windowed)
        return At(e.pos, "Window bounds column " + e.name +
                             " can only be used in the SELECT clause of windowed aggregations and can not be passed to aggregate functions.");
      return MakePseudoRef(e.name == "WINDOWSTART" ? PseudoColumn::kWindowStart : PseudoColumn::kWindowEnd,
                           SqlType::Of(TypeId::kBigInt));
    }
  }
  auto c = scope_.Resolve(e.qualifier, e.name, e.pos);
  if (!c) return c.error();
  return MakeColumnRef((*c)->slot, (*c)->type);
}

Result<BoundExprPtr> ExpressionBinder::BindComparison(const Expr& e, const std::string& op, BoundExprPtr l,
                                                      BoundExprPtr r, const Expr& le, const Expr& re) {
  const SqlType lt = l->type(), rt = r->type();
  // ksqlDB's "magic timestamp conversion": text compared with ROWTIME, WINDOWSTART or WINDOWEND is read as a
  // timestamp; any other number is never compared with text.
  auto event_time = [](const Expr& x) {
    return x.kind == ExprKind::kColumn && (x.name == "ROWTIME" || x.name == "WINDOWSTART" || x.name == "WINDOWEND");
  };
  if (lt.is_numeric() && rt.id == TypeId::kString && event_time(le)) {
    auto c = CoerceTo(r, lt, re.pos);
    if (!c) return c.error();
    r = *c;
  } else if (rt.is_numeric() && lt.id == TypeId::kString && event_time(re)) {
    auto c = CoerceTo(l, rt, le.pos);
    if (!c) return c.error();
    l = *c;
  } else if ((lt.id == TypeId::kTimestamp || lt.id == TypeId::kDate || lt.id == TypeId::kTime) && rt.id == TypeId::kString) {
    auto c = CoerceTo(r, lt, re.pos);
    if (!c) return c.error();
    r = *c;
  } else if ((rt.id == TypeId::kTimestamp || rt.id == TypeId::kDate || rt.id == TypeId::kTime) && lt.id == TypeId::kString) {
    auto c = CoerceTo(l, rt, le.pos);
    if (!c) return c.error();
    l = *c;
  }
  if (!Comparable(l->type(), r->type()) ||
      ((l->type().id == TypeId::kBoolean || l->type().id == TypeId::kArray || l->type().id == TypeId::kMap ||
        l->type().id == TypeId::kStruct) && op != "=" && op != "<>"))
    return At(e.pos, "Cannot compare " + FormatExpr(le) + " (" + lt.ToString() + ") to " + FormatExpr(re) + " (" +
                         rt.ToString() + ") with " + CmpName(op) + ".");
  return MakeComparison(op, l, r);
}

Result<BoundExprPtr> ExpressionBinder::BindBinary(const Expr& e) {
  const std::string& op = e.op;
  auto l = Bind(*e.children[0]);
  if (!l) return l;
  auto r = Bind(*e.children[1]);
  if (!r) return r;
  if (op == "AND" || op == "OR") {
    for (const auto* side : {&*l, &*r})
      if ((*side)->type().id != TypeId::kBoolean && (*side)->type().id != TypeId::kUnknown)
        return At(e.pos, "Logical binary expects two boolean values. Actual " + (*l)->type().ToString() + " and " +
                             (*r)->type().ToString());
    return op == "AND" ? MakeAnd(*l, *r) : MakeOr(*l, *r);
  }
  if (op == "||") return MakeConcat(*l, *r);
  if (op == "=" || op == "<>" || op == "<" || op == "<=" || op == ">" || op == ">=")
    return BindComparison(e, op, *l, *r, *e.children[0], *e.children[1]);
  // Arithmetic.
  SqlType lt = (*l)->type(), rt = (*r)->type();
  if (lt.id == TypeId::kUnknown) lt = rt;
  if (rt.id == TypeId::kUnknown) rt = lt;
  if (lt.id == TypeId::kUnknown) return MakeLiteral(Value(), SqlType::Of(TypeId::kUnknown));
  if (op == "+" && lt.id == TypeId::kString && rt.id == TypeId::kString) return MakeConcat(*l, *r);
  auto widened = WidenNumeric(lt, rt);
  if (!widened)
    return At(e.pos, "Error processing expression: " + FormatExpr(e) + ". Unsupported arithmetic types. " +
                         lt.ToString() + " " + rt.ToString());
  SqlType result = *widened;
  if (result.id == TypeId::kDecimal) result = DecimalResultType(op[0], lt, rt);
  if (InLambdaBody()) return MakeArithmetic(op, MakeNullIntolerant(*l), MakeNullIntolerant(*r), result);
  return MakeArithmetic(op, *l, *r, result);
}

Result<BoundExprPtr> ExpressionBinder::BindFunction(const Expr& e) {
  const ScalarFunctionSpec* spec = BuiltinScalarFunctions().Find(e.op);
  if (!spec) return At(e.pos, UnknownFunctionMessage(e.op));
  if (spec->higher_order) return BindHigherOrder(e, spec->higher_order);
  for (const auto& c : e.children)
    if (c->kind == ExprKind::kLambda) return At(c->pos, "Function '" + e.op + "' does not take lambda arguments");
  auto args = BindAll(e.children);
  if (!args) return args.error();
  std::vector<SqlType> types;
  for (const auto& a : *args) types.push_back(a->type());
  auto bound = spec->bind(types);
  if (!bound) return At(e.pos, NamingFunction(e.op, bound.error().message()));
  return MakeFunctionCall(e.op, std::move(*bound), std::move(*args));
}

Result<BoundExprPtr> ExpressionBinder::BindNode(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kLiteral:
    case ExprKind::kInterval: return MakeLiteral(e.value, e.literal_type);
    case ExprKind::kColumn: return BindColumn(e);
    case ExprKind::kStar: return At(e.pos, "'*' is only allowed in the SELECT list and COUNT(*)");
    case ExprKind::kUnary: {
      auto inner = Bind(*e.children[0]);
      if (!inner) return inner;
      if (e.op == "NOT") {
        if ((*inner)->type().id != TypeId::kBoolean && (*inner)->type().id != TypeId::kUnknown)
          return At(e.pos, "NOT expects a boolean, got " + (*inner)->type().ToString());
        return MakeNot(*inner);
      }
      if (!(*inner)->type().is_numeric() && (*inner)->type().id != TypeId::kUnknown)
        return At(e.pos, "Unary " + e.op + " expects a number, got " + (*inner)->type().ToString());
      if (e.op == "+") return *inner;
      return MakeNegate(InLambdaBody() ? MakeNullIntolerant(*inner) : *inner);
    }
    case ExprKind::kBinary: return BindBinary(e);
    case ExprKind::kFunction: return BindFunction(e);
    case ExprKind::kCase: {
      std::vector<BoundExprPtr> whens, thens;
      BoundExprPtr operand, else_expr;
      size_t i = 0;
      if (e.has_operand) {
        auto o = Bind(*e.children[i++]);
        if (!o) return o;
        operand = *o;
      }
      size_t end = e.children.size() - (e.negated ? 1 : 0);
      std::optional<SqlType> type = SqlType::Of(TypeId::kUnknown);
      for (; i + 1 < end + 1 && i < end; i += 2) {
        auto w = Bind(*e.children[i]);
        if (!w) return w;
        auto t = Bind(*e.children[i + 1]);
        if (!t) return t;
        BoundExprPtr cond = *w;
        if (operand) cond = MakeComparison("=", operand, *w);
        else if (cond->type().id != TypeId::kBoolean && cond->type().id != TypeId::kUnknown)
          return At(e.children[i]->pos, "WHEN operand type should be boolean. Type for '" + FormatExpr(*e.children[i]) +
                                            "' is " + cond->type().ToString());
        whens.push_back(cond);
        thens.push_back(*t);
        auto common = CommonType(*type, (*t)->type());
        if (!common)
          return At(e.children[i + 1]->pos, "Invalid Case expression. Type for all 'THEN' clauses should be the same. "
                                             "THEN expression '" + FormatExpr(*e.children[i + 1]) + "' has type: " +
                                             (*t)->type().ToString() + ".");
        type = common;
      }
      if (e.negated) {
        auto el = Bind(*e.children.back());
        if (!el) return el;
        else_expr = *el;
        auto common = CommonType(*type, else_expr->type());
        if (!common) return At(e.children.back()->pos, "Invalid Case expression. Type for the default clause should be the same as for 'THEN' clauses.");
        type = common;
      }
      if (type->id == TypeId::kUnknown) return At(e.pos, "Invalid Case expression. All case branches have NULL type");
      for (auto& t : thens) {
        auto c = CoerceTo(t, *type, e.pos);
        if (!c) return c.error();
        t = *c;
      }
      if (else_expr) {
        auto c = CoerceTo(else_expr, *type, e.pos);
        if (!c) return c.error();
        else_expr = *c;
      }
      return MakeCase(std::move(whens), std::move(thens), else_expr, *type);
    }
    case ExprKind::kCast: {
      auto inner = Bind(*e.children[0]);
      if (!inner) return inner;
      const SqlType& from = (*inner)->type();
      const SqlType& to = e.literal_type;
      bool composite_to = to.id == TypeId::kArray || to.id == TypeId::kMap || to.id == TypeId::kStruct;
      if (composite_to && from.id != to.id && from.id != TypeId::kUnknown)
        return At(e.pos, "Cast of " + from.ToString() + " to " + to.ToString() + " is not supported");
      return MakeCast(*inner, to);
    }
    case ExprKind::kLike: {
      auto v = Bind(*e.children[0]);
      if (!v) return v;
      auto p = Bind(*e.children[1]);
      if (!p) return p;
      char esc = 0;
      if (e.children.size() > 2) {
        const Expr& esc_e = *e.children[2];
        if (esc_e.kind != ExprKind::kLiteral || !esc_e.value.is_string() || esc_e.value.as_string().size() != 1)
          return At(esc_e.pos, "ESCAPE must be a single character");
        esc = esc_e.value.as_string()[0];
      }
      if ((*v)->type().id != TypeId::kString && (*v)->type().id != TypeId::kUnknown)
        return At(e.pos, "LIKE expects a STRING, got " + (*v)->type().ToString());
      return MakeLike(*v, *p, esc, e.negated);
    }
    case ExprKind::kIn: {
      auto v = Bind(*e.children[0]);
      if (!v) return v;
      if (e.children.size() < 2) return At(e.pos, "IN expression needs at least one item");
      std::vector<BoundExprPtr> items;
      for (size_t i = 1; i < e.children.size(); ++i) {
        auto item = CoerceItem(*e.children[i], (*v)->type());
        if (!item) return item.error();
        items.push_back(*item);
      }
      return MakeIn(*v, std::move(items), e.negated);
    }
    case ExprKind::kBetween: {
      auto all = BindAll(e.children);
      if (!all) return all.error();
      for (size_t i = 1; i < 3; ++i) {
        auto c = CoerceTo((*all)[i], (*all)[0]->type(), e.children[i]->pos);
        if (!c) return c.error();
        (*all)[i] = *c;
        if (!Comparable((*all)[0]->type(), (*all)[i]->type()))
          return At(e.pos, "Cannot compare " + (*all)[0]->type().ToString() + " to " + (*all)[i]->type().ToString());
      }
      return MakeBetween((*all)[0], (*all)[1], (*all)[2], e.negated);
    }
    case ExprKind::kIsNull: {
      auto v = Bind(*e.children[0]);
      if (!v) return v;
      return MakeIsNull(*v, e.negated);
    }
    case ExprKind::kIsDistinct: {
      auto l = Bind(*e.children[0]);
      if (!l) return l;
      auto r = Bind(*e.children[1]);
      if (!r) return r;
      if (!Comparable((*l)->type(), (*r)->type()))
        return At(e.pos, "Cannot compare " + (*l)->type().ToString() + " to " + (*r)->type().ToString());
      return MakeIsDistinct(*l, *r, e.negated);
    }
    case ExprKind::kDereference: {
      auto base = Bind(*e.children[0]);
      if (!base) return base;
      const SqlType& t = (*base)->type();
      if (t.id != TypeId::kStruct)
        return At(e.pos, "Expected STRUCT type for dereference of " + FormatExpr(*e.children[0]) + ", got " + t.ToString());
      for (size_t i = 0; i < t.fields.size(); ++i)
        if (t.fields[i].name == e.name) return MakeFieldAccess(*base, static_cast<int>(i), e.name, *t.fields[i].type);
      return At(e.pos, "Could not find field '" + e.name + "' in '" + FormatExpr(*e.children[0]) + "'.");
    }
    case ExprKind::kSubscript: {
      auto base = Bind(*e.children[0]);
      if (!base) return base;
      auto idx = Bind(*e.children[1]);
      if (!idx) return idx;
      const SqlType& t = (*base)->type();
      if (t.id == TypeId::kArray) return MakeSubscript(*base, *idx, t.element ? *t.element : SqlType());
      if (t.id == TypeId::kMap) return MakeSubscript(*base, *idx, t.element ? *t.element : SqlType());
      return At(e.pos, "Subscript expected ARRAY or MAP, got " + t.ToString());
    }
    case ExprKind::kArrayCtor: {
      if (e.children.empty())
        return At(e.pos, "Array constructor cannot be empty. Please supply at least one element (see "
                         "https://github.com/confluentinc/ksql/issues/4239).");
      auto items = BindAll(e.children);
      if (!items) return items.error();
      SqlType elem = SqlType::Of(TypeId::kUnknown);
      for (const auto& i : *items) {
        auto c = CommonType(elem, i->type());
        if (!c) return At(e.pos, "invalid input syntax: all elements of ARRAY must have the same type");
        elem = *c;
      }
      for (auto& i : *items) {
        auto c = CoerceTo(i, elem, e.pos);
        if (!c) return c.error();
        i = *c;
      }
      return MakeArrayCtor(std::move(*items), SqlType::Array(elem));
    }
    case ExprKind::kMapCtor: {
      if (e.children.empty())
        return At(e.pos, "Map constructor cannot be empty. Please supply at least one key value pair (see "
                         "https://github.com/confluentinc/ksql/issues/4239).");
      bool all_null_keys = true;
      for (size_t i = 0; i < e.children.size(); i += 2) all_null_keys &= e.children[i]->kind == ExprKind::kLiteral && e.children[i]->value.is_null();
      if (all_null_keys) return At(e.pos, "Cannot construct a map with all NULL keys");
      std::vector<BoundExprPtr> keys, values;
      SqlType vt = SqlType::Of(TypeId::kUnknown);
      for (size_t i = 0; i + 1 < e.children.size(); i += 2) {
        auto k = Bind(*e.children[i]);
        if (!k) return k;
        auto v = Bind(*e.children[i + 1]);
        if (!v) return v;
        auto c = CommonType(vt, (*v)->type());
        if (!c) return At(e.pos, "invalid input syntax: all values of MAP must have the same type");
        vt = *c;
        keys.push_back((*k)->type().id == TypeId::kString ? *k : MakeCast(*k, SqlType::Of(TypeId::kString)));
        values.push_back(*v);
      }
      for (auto& v : values) {
        auto c = CoerceTo(v, vt, e.pos);
        if (!c) return c.error();
        v = *c;
      }
      return MakeMapCtor(std::move(keys), std::move(values), SqlType::Map(SqlType::Of(TypeId::kString), vt));
    }
    case ExprKind::kStructCtor: {
      auto items = BindAll(e.children);
      if (!items) return items.error();
      std::vector<StructField> fields;
      for (size_t i = 0; i < items->size(); ++i) {
        for (const StructField& f : fields)
          if (f.name == e.field_names[i]) return At(e.pos, "Duplicate field names found in STRUCT: '" + f.name + "'");
        fields.push_back({e.field_names[i], MakeType((*items)[i]->type())});
      }
      return MakeStructCtor(std::move(*items), SqlType::Struct(std::move(fields)));
    }
    case ExprKind::kLambda:  // the parser allows lambdas only as function arguments
      return At(e.pos, "Lambda functions can only be used as arguments of TRANSFORM, FILTER and REDUCE");
  }
  return At(e.pos, "unsupported expression");
}

}  // namespace pipeline::sql
