// Query planning entry: FROM (or a join) -> WHERE -> GROUP BY / PARTITION BY -> SELECT -> sink.
#include "sql/planner/query_planner.h"

#include "sql/exec/filter.h"
#include "sql/exec/project.h"
#include "sql/exec/sink_writer.h"
#include "sql/exec/table_function.h"
#include "sql/parser/expr_format.h"
#include "sql/planner/plan_builder.h"

namespace pipeline::sql {

Error At(Position pos, const std::string& msg) { return ConfigError(pos.ToString() + ": " + msg); }

namespace {

void StripQualifiers(Expr& e) {
  e.qualifier.clear();
  for (auto& c : e.children) {
    auto copy = std::make_shared<Expr>(*c);
    StripQualifiers(*copy);
    c = copy;
  }
}

}  // namespace

std::string NormalText(const Expr& e) {
  Expr copy = e;
  StripQualifiers(copy);
  return FormatExpr(copy);
}

Status PlanPartitionBy(PlanBuilder& b) {
  if (b.is_table) return At(b.sel.partition_by[0]->pos, "PARTITION BY is not supported on tables; use GROUP BY to re-key a table.");
  if (b.windowed) return At(b.sel.partition_by[0]->pos, "Implicit repartitioning of windowed sources is not supported.");
  ExpressionBinder binder(b.scope);
  b.key_aliases.clear();
  std::vector<BoundExprPtr> exprs;
  Scope next;
  next.windowed = b.scope.windowed;
  next.aliases = b.scope.aliases;
  std::vector<int> moved_slots;  // source slots that became key columns (dropped from the value)
  std::vector<std::string> key_names, key_texts;
  int generated = 0;
  for (const auto& p : b.sel.partition_by) {
    if (p->kind == ExprKind::kLiteral && p->value.is_null()) {
      if (b.sel.partition_by.size() > 1) return At(p->pos, "PARTITION BY NULL cannot be combined with other expressions");
      continue;
    }
    auto bound = binder.Bind(*p);
    if (!bound) return bound.error();
    std::string name;
    if (p->kind == ExprKind::kColumn) {
      name = p->name;
      if ((*bound)->slot() >= 0) moved_slots.push_back((*bound)->slot());
    } else if (p->kind == ExprKind::kDereference) {
      name = p->name;
    } else {
      std::string text = NormalText(*p);
      for (const auto& item : b.sel.items)
        if (!item.alias.empty() && NormalText(*item.expr) == text) name = item.alias;
      if (name.empty()) name = "KSQL_COL_" + std::to_string(generated++);
    }
    next.columns.push_back({"", name, (*bound)->type(), static_cast<int>(exprs.size()), true});
    key_names.push_back(name);
    key_texts.push_back(NormalText(*p));
    exprs.push_back(*bound);
  }
  auto moved = [&](int slot) {
    for (int m : moved_slots)
      if (m == slot) return true;
    return false;
  };
  // Values keep their order; the old key columns follow them (ksqlDB moves them into the value).
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& c : b.scope.columns) {
      if (c.key != (pass == 1) || moved(c.slot)) continue;
      // A value may not share a new key column's name; values of two joined sources may share one (L.K, R.K).
      bool clash = false;
      for (const auto& k : next.columns) clash |= k.name == c.name && (k.key || k.qualifier == c.qualifier);
      if (clash) continue;
      next.columns.push_back({c.qualifier, c.name, c.type, static_cast<int>(exprs.size()), false});
      exprs.push_back(MakeColumnRef(c.slot, c.type));
    }
  }
  b.key_count = static_cast<int>(key_names.size());
  b.key_names = key_names;
  b.key_texts = key_texts;
  b.scope = std::move(next);
  b.Append(std::make_unique<ProjectOperator>(std::move(exprs), b.key_count, true));
  return {};
}

namespace {

bool IsTableFunction(const std::string& name) { return name == "EXPLODE" || name == "CUBE_EXPLODE"; }

void CollectTableFunctions(const ExprPtr& e, std::vector<ExprPtr>& out) {
  if (e->kind == ExprKind::kFunction && IsTableFunction(e->op)) {
    for (const auto& o : out)
      if (NormalText(*o) == NormalText(*e)) return;
    out.push_back(e);
    return;
  }
  for (const auto& c : e->children) CollectTableFunctions(c, out);
}

// EXPLODE / CUBE_EXPLODE in the SELECT list: rows are multiplied before the projection, which reads each
// table function's result from an extra slot.
Status PlanTableFunctions(PlanBuilder& b, bool aggregated) {
  std::vector<ExprPtr> calls;
  for (const auto& item : b.sel.items) CollectTableFunctions(item.expr, calls);
  if (calls.empty()) return {};
  if (aggregated) return At(calls[0]->pos, "Table functions cannot be used with aggregations.");
  if (b.is_table) return At(calls[0]->pos, "Table source is not supported with table functions");
  ExpressionBinder binder(b.scope, b.MakeHook());
  std::vector<TableFunctionCall> bound;
  int width = 0;
  for (const auto& c : b.scope.columns) width = std::max(width, c.slot + 1);
  for (size_t i = 0; i < calls.size(); ++i) {
    const Expr& call = *calls[i];
    if (call.children.size() != 1) return At(call.pos, call.op + " expects one argument");
    auto arg = binder.Bind(*call.children[0]);
    if (!arg) return arg.error();
    const SqlType& t = (*arg)->type();
    if (t.id != TypeId::kArray)
      return At(call.pos, "Function '" + call.op + "' does not accept parameters (" + t.ToString() + ").");
    TableFunctionKind kind = call.op == "EXPLODE" ? TableFunctionKind::kExplode : TableFunctionKind::kCubeExplode;
    SqlType result = kind == TableFunctionKind::kExplode ? (t.element ? *t.element : SqlType()) : t;
    bound.push_back({kind, *arg});
    b.extra_slots.push_back({NormalText(call), width + static_cast<int>(i), result});
  }
  b.Append(std::make_unique<TableFunctionOperator>(std::move(bound)));
  return {};
}

}  // namespace

Result<PlannedQuery> PlanQuery(const Statement& st, const Catalog& catalog, const EngineOptions& options,
                               const SourceDef* insert_target) {
  const Select& sel = *st.select;
  PlanBuilder b(st, sel, catalog, options);
  b.plan.name = st.name;
  b.plan.ctx->query_name = st.name;
  PIPE_RETURN_IF_ERROR(PlanFrom(b));
  if (sel.window.type != WindowType::kNone && sel.group_by.empty())
    return At(sel.window.pos, "WINDOW clause requires a GROUP BY clause.");
  if (sel.where) {
    ExpressionBinder binder(b.scope);
    auto pred = binder.BindPredicate(*sel.where, "WHERE");
    if (!pred) return pred.error();
    // A table join knows each key's previous result, so a row that fails WHERE deletes only a key that passed
    // before (Kafka Streams' filter with old values); a source table's failing row always becomes a delete.
    const bool after_join = b.is_table && !sel.joins.empty();
    b.Append(std::make_unique<FilterOperator>(*pred, b.is_table, after_join ? b.key_count : 0, after_join));
  }
  bool aggregates = SelectHasAggregates(sel);
  if (!sel.group_by.empty() || aggregates) {
    if (!sel.partition_by.empty()) return At(sel.partition_by[0]->pos, "PARTITION BY and GROUP BY cannot be used together");
    PIPE_RETURN_IF_ERROR(PlanAggregation(b));
  } else {
    if (sel.having) return At(sel.having->pos, "HAVING requires a GROUP BY clause.");
    if (!sel.partition_by.empty()) PIPE_RETURN_IF_ERROR(PlanPartitionBy(b));
  }
  PIPE_RETURN_IF_ERROR(PlanTableFunctions(b, !sel.group_by.empty() || aggregates));
  PIPE_RETURN_IF_ERROR(PlanProjection(b, insert_target));
  if (st.kind == StatementKind::kCreateAsSelect && st.is_table != b.is_table)
    return ConfigError(std::string("Invalid result type. Your SELECT query produces a ") + (b.is_table ? "TABLE" : "STREAM") +
                       ". Please use CREATE " + (b.is_table ? "TABLE" : "STREAM") + " AS SELECT statement instead.");
  if (st.kind == StatementKind::kInsertInto && (b.is_table || insert_target->is_table))
    return ConfigError("INSERT INTO can only be used to insert into a stream. " + st.name + " is a table.");
  b.Append(std::make_unique<SinkWriter>(b.plan.output));
  for (auto& [topic, reader] : b.plan.readers)
    if (!reader->next) reader->next = b.heads.front();
  for (auto& [topic, reader] : b.plan.readers) reader->ctx = b.plan.ctx.get();
  return std::move(b.plan);
}

}  // namespace pipeline::sql
