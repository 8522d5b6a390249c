// GROUP BY planning: binds the grouping expressions and aggregate calls against the input, then rebinds the
// SELECT list and HAVING against the aggregate's output [group keys..., aggregate results...].
#include "sql/exec/aggregate.h"
#include "sql/exec/filter.h"
#include "sql/functions/aggregate/aggregate_config.h"
#include "sql/functions/aggregate_function.h"
#include "sql/functions/function_docs.h"
#include "sql/functions/scalar_function.h"
#include "sql/parser/expr_format.h"
#include "sql/planner/plan_builder.h"

namespace pipeline::sql {

bool IsAggregateFunction(const std::string& name) { return BuiltinAggregateFunctions().Find(name) != nullptr; }

namespace {

bool ContainsAggregate(const Expr& e) {
  if (e.kind == ExprKind::kFunction && IsAggregateFunction(e.op)) return true;
  for (const auto& c : e.children)
    if (ContainsAggregate(*c)) return true;
  return false;
}

void CollectAggregates(const ExprPtr& e, std::vector<ExprPtr>& out) {
  if (e->kind == ExprKind::kFunction && IsAggregateFunction(e->op)) {
    std::string text = NormalText(*e);
    for (const auto& o : out)
      if (NormalText(*o) == text) return;
    out.push_back(e);
    return;
  }
  for (const auto& c : e->children) CollectAggregates(c, out);
}

// The first call of a function that is neither scalar nor aggregate (COUNTT), so that a typo is reported as
// such, not as a query without aggregates.
const Expr* FirstUnknownFunction(const Expr& e) {
  if (e.kind == ExprKind::kFunction && !IsAggregateFunction(e.op) && !BuiltinScalarFunctions().Find(e.op)) return &e;
  for (const auto& c : e.children)
    if (const Expr* found = FirstUnknownFunction(*c)) return found;
  return nullptr;
}

void CollectColumns(const Expr& e, std::vector<const Expr*>& out) {
  if (e.kind == ExprKind::kColumn) out.push_back(&e);
  if (e.kind == ExprKind::kLambda) return;  // a lambda's body names its parameters, which are no columns
  for (const auto& c : e.children) CollectColumns(*c, out);
}

}  // namespace

bool SelectHasAggregates(const Select& sel) {
  for (const auto& item : sel.items)
    if (ContainsAggregate(*item.expr)) return true;
  return sel.having && ContainsAggregate(*sel.having);
}

Status PlanAggregation(PlanBuilder& b) {
  const Select& sel = b.sel;
  if (sel.group_by.empty()) return At(sel.pos, "Aggregate functions need a GROUP BY clause.");
  if (b.windowed && sel.window.type != WindowType::kNone)
    return At(sel.window.pos, "Windowed aggregation over an already windowed source is not supported.");
  for (const auto& name : b.source_names)
    if (const SourceDef* d = b.catalog.Find(name); d && d->formats.value == "KAFKA" && b.source_names.size() == 1)
      return At(sel.pos, "Source(s) " + name + " are using the 'KAFKA' value format. This format does not yet support GROUP BY.");
  ExpressionBinder input_binder(b.scope);
  // Grouping expressions.
  std::vector<BoundExprPtr> group_exprs;
  std::vector<std::string> group_texts;
  for (const auto& g : sel.group_by) {
    if (ContainsAggregate(*g)) {
      std::string fn;
      std::vector<ExprPtr> aggs;
      CollectAggregates(g, aggs);
      return At(g->pos, "GROUP BY does not support aggregate functions: " + aggs[0]->op + " is an aggregate function.");
    }
    auto bound = input_binder.Bind(*g);
    if (!bound) return bound.error();
    group_exprs.push_back(*bound);
    group_texts.push_back(NormalText(*g));
  }
  // Aggregate calls, deduplicated.
  std::vector<ExprPtr> agg_exprs;
  for (const auto& item : sel.items) {
    CollectAggregates(item.expr, agg_exprs);
  }
  if (sel.having) CollectAggregates(sel.having, agg_exprs);
  if (agg_exprs.empty()) {
    for (const auto& item : sel.items)
      if (const Expr* unknown = FirstUnknownFunction(*item.expr)) return At(unknown->pos, UnknownFunctionMessage(unknown->op));
    return At(sel.pos, "GROUP BY requires aggregate functions in either the SELECT or HAVING clause.");
  }
  std::vector<AggregateCall> calls;
  std::vector<std::string> no_undo;
  ScopedAggregateProperties props(&b.options.properties);
  for (const auto& a : agg_exprs) {
    const AggregateFunctionSpec* spec = BuiltinAggregateFunctions().Find(a->op);
    AggregateCall call;
    std::vector<SqlType> types;
    std::vector<Value> literals;
    for (size_t i = 0; i < a->children.size(); ++i) {
      const Expr& arg = *a->children[i];
      if (ContainsAggregate(arg)) return At(arg.pos, "Aggregate functions can not be nested: " + FormatExpr(*a));
      auto bound = input_binder.Bind(arg);
      if (!bound) return bound.error();
      types.push_back((*bound)->type());
      literals.push_back((*bound)->constant() ? *(*bound)->constant() : Value());
      // Only the first argument (two for CORRELATION) varies per row; the rest are parameters.
      call.args.push_back(*bound);
    }
    bool star_like = a->star || (a->op == "COUNT" && a->children.empty());
    if (star_like) { types.clear(); literals.clear(); call.args.clear(); }
    auto fn = spec->bind(types, literals);
    if (!fn) return At(a->pos, NamingFunction(a->op, fn.error().message()));
    if (b.is_table && !fn->supports_undo) no_undo.push_back(a->op);
    call.fn = std::move(*fn);
    calls.push_back(std::move(call));
  }
  if (!no_undo.empty()) {
    std::string list;
    for (size_t i = 0; i < no_undo.size(); ++i) list += (i ? (i + 1 == no_undo.size() ? " and " : ", ") : "") + no_undo[i];
    return At(sel.pos, "The aggregation functions " + list + " cannot be applied to a table source, only to a stream source.");
  }
  // The aggregate's output scope: group keys, then aggregate results (reachable only through the hook).
  Scope out;
  out.has_row_meta = false;
  out.aliases = b.scope.aliases;
  std::vector<std::string> key_names;
  int generated = 0;
  for (size_t i = 0; i < sel.group_by.size(); ++i) {
    const Expr& g = *sel.group_by[i];
    std::string name;
    if (g.kind == ExprKind::kColumn || g.kind == ExprKind::kDereference) name = g.name;
    for (const auto& item : sel.items)
      if (!item.alias.empty() && NormalText(*item.expr) == group_texts[i]) name = item.alias;
    if (name.empty()) name = "KSQL_COL_" + std::to_string(generated++);
    std::string qualifier = g.kind == ExprKind::kColumn ? g.qualifier : "";
    if (g.kind == ExprKind::kColumn && qualifier.empty()) {
      auto c = b.scope.Resolve("", g.name, g.pos);
      if (c) qualifier = (*c)->qualifier;
    }
    out.columns.push_back({qualifier, g.kind == ExprKind::kColumn ? g.name : name, group_exprs[i]->type(), static_cast<int>(i), true});
    key_names.push_back(name);
  }
  size_t k = group_exprs.size();
  WindowConfig wc;
  wc.type = sel.window.type;
  wc.size_ms = sel.window.size_ms;
  wc.advance_ms = sel.window.advance_ms;
  if (sel.window.grace_ms) wc.grace_ms = *sel.window.grace_ms;
  wc.retention_ms = sel.window.retention_ms;
  if (sel.emit_final && wc.type == WindowType::kNone) return At(sel.pos, "EMIT FINAL is only supported for windowed aggregations.");
  out.windowed = wc.type != WindowType::kNone || b.windowed;
  std::vector<SqlType> agg_types;
  for (const auto& c : calls) agg_types.push_back(c.fn.return_type);
  b.Append(std::make_unique<AggregateOperator>(std::move(group_exprs), std::move(calls), wc, sel.emit_final));

  b.scope = std::move(out);
  b.key_count = static_cast<int>(k);
  b.key_names = key_names;
  b.key_texts = group_texts;
  b.is_table = true;
  b.windowed = b.scope.windowed;
  // HAVING and SELECT see aggregate calls as slots after the keys.
  std::vector<std::string> agg_texts;
  for (const auto& a : agg_exprs) agg_texts.push_back(NormalText(*a));
  b.extra_slots.clear();
  for (size_t j = 0; j < agg_texts.size(); ++j) b.extra_slots.push_back({agg_texts[j], static_cast<int>(k + j), agg_types[j]});
  if (sel.having) {
    ExpressionBinder having_binder(b.scope, b.MakeHook());
    auto pred = having_binder.BindPredicate(*sel.having, "HAVING");
    if (!pred) return pred.error();
    b.Append(std::make_unique<FilterOperator>(*pred, true, k, true));
  }
  // Non-aggregated columns in the SELECT list must be grouping expressions.
  for (const auto& item : sel.items) {
    ExpressionBinder check(b.scope, b.MakeHook());
    auto r = check.Bind(*item.expr);
    if (!r) {
      std::vector<const Expr*> cols;
      CollectColumns(*item.expr, cols);
      for (const Expr* c : cols)
        if (!b.scope.FindUnqualified(c->name) && c->name != "WINDOWSTART" && c->name != "WINDOWEND" && c->name != "ROWTIME")
          return At(item.pos, "Non-aggregate SELECT expression(s) not part of GROUP BY: " + FormatExpr(*item.expr));
      return r.error();
    }
  }
  return {};
}

}  // namespace pipeline::sql
