// State shared by the planning steps of one query (query_planner.cpp, projection, aggregation, joins).
#pragma once

#include <string>
#include <vector>

#include "sql/binder/expression_binder.h"
#include "sql/binder/scope.h"
#include "sql/planner/query_planner.h"

namespace pipeline::sql {

std::string NormalText(const Expr& e);

struct PlanBuilder {
  const Statement& st;
  const Select& sel;
  const Catalog& catalog;
  const EngineOptions& options;
  PlannedQuery plan;
  Operator* tail = nullptr;           // last operator appended (null until the first)
  std::vector<Operator*> heads;       // where readers feed (joins have two)
  Scope scope;                        // columns visible at the current point
  int key_count = 0;                  // the first key_count slots are the key
  std::vector<std::string> key_names; // names for those key columns when projected
  std::vector<std::string> key_texts; // expressions (normalised text) that mean key slot i
  bool is_table = false;              // the current relation is a table
  bool windowed = false;              // rows carry window bounds
  std::vector<std::string> source_names;
  struct ExprSlot {
    std::string text;
    int slot;
    SqlType type;
  };
  std::vector<ExprSlot> extra_slots;  // after aggregation: aggregate calls -> result slots
  // After a join: scope slots whose plain column references mean the join key (slot 0); the first is the
  // one SELECT * shows as the key. Column names present on both sides get an ALIAS_ prefix when projected.
  std::vector<int> key_aliases;
  std::vector<std::string> join_common_names;

  // Binds expressions equal to a key expression (GROUP BY / PARTITION BY) or an aggregate call to their slot.
  BindHook MakeHook() const {
    return [this](const Expr& e) -> Result<BoundExprPtr> {
      if (e.kind == ExprKind::kColumn && !key_aliases.empty()) {
        auto c = scope.Resolve(e.qualifier, e.name, e.pos);
        if (c)
          for (int a : key_aliases)
            if ((*c)->slot == a) return MakeColumnRef(0, (*c)->type);
      }
      if (key_texts.empty() && extra_slots.empty()) return BoundExprPtr();
      std::string text = NormalText(e);
      for (size_t i = 0; i < key_texts.size(); ++i)
        if (key_texts[i] == text) return MakeColumnRef(static_cast<int>(i), scope.columns[i].type);
      for (const auto& x : extra_slots)
        if (x.text == text) return MakeColumnRef(x.slot, x.type);
      return BoundExprPtr();
    };
  }

  PlanBuilder(const Statement& s, const Select& q, const Catalog& c, const EngineOptions& o)
      : st(s), sel(q), catalog(c), options(o) {}

  void Append(OperatorPtr op) {
    Operator* raw = op.get();
    raw->ctx = plan.ctx.get();
    if (tail) tail->next = raw;
    else heads.push_back(raw);
    tail = raw;
    plan.operators.push_back(std::move(op));
  }
};

// Expression text with qualifiers removed, to match GROUP BY / PARTITION BY expressions to select items.
std::string NormalText(const Expr& e);
Error At(Position pos, const std::string& msg);

// Planning steps, in query order.
Status PlanFrom(PlanBuilder& b);                         // source or join
Status PlanAggregation(PlanBuilder& b);                  // GROUP BY, aggregates, windows, HAVING
Status PlanPartitionBy(PlanBuilder& b);
Status PlanProjection(PlanBuilder& b, const SourceDef* insert_target);
bool SelectHasAggregates(const Select& sel);
bool IsAggregateFunction(const std::string& name);

}  // namespace pipeline::sql
