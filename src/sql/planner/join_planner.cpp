// Joins: FROM a JOIN b ON a.x = b.y [JOIN c ...]. Each join consumes the relation so far (left) and one more
// source (right); its output row is [join key, left values..., right values...].
#include <algorithm>

#include "sql/exec/join.h"
#include "sql/parser/expr_format.h"
#include "sql/planner/plan_builder.h"

namespace pipeline::sql {

Result<const SourceDef*> FindSource(const PlanBuilder& b, const SourceRef& ref);
void AddSourceColumns(Scope& scope, const SourceDef& def, const std::string& alias, int first_slot);

namespace {

const char* JoinName(JoinType t) {
  switch (t) {
    case JoinType::kInner: return "[INNER]";
    case JoinType::kLeft: return "[LEFT]";
    case JoinType::kRight: return "[RIGHT]";
    case JoinType::kFull: return "[FULL] OUTER";
  }
  return "";
}

// True when every column the expression references resolves in `scope`.
bool ResolvesIn(const Expr& e, const Scope& scope) {
  if (e.kind == ExprKind::kColumn) return scope.Resolve(e.qualifier, e.name, e.pos).ok();
  bool any = false;
  for (const auto& c : e.children) {
    if (!ResolvesIn(*c, scope)) return false;
    any = true;
  }
  return any || e.kind != ExprKind::kLiteral;
}

bool HasColumns(const Expr& e) {
  if (e.kind == ExprKind::kColumn) return true;
  for (const auto& c : e.children)
    if (HasColumns(*c)) return true;
  return false;
}

}  // namespace

Status PlanJoin(PlanBuilder& b) {
  const Select& sel = b.sel;
  auto ldef_r = FindSource(b, sel.from);
  if (!ldef_r) return ldef_r.error();
  const SourceDef* ldef = *ldef_r;
  Scope left;
  AddSourceColumns(left, *ldef, sel.from.alias, 0);
  left.has_row_meta = false;
  bool left_table = ldef->is_table;
  bool left_windowed = ldef->window_type != WindowType::kNone;
  size_t left_width = ldef->columns.size();
  b.plan.readers.emplace_back(ldef->topic, std::make_unique<SourceReader>(*ldef));
  SourceReader* left_reader = b.plan.readers.back().second.get();
  JoinOperator* prev = nullptr;
  std::vector<std::string> names = {ldef->name};
  std::vector<std::string> all_columns;
  for (const auto& c : ldef->columns) all_columns.push_back(c.name);
  int left_pk_slot = ldef->key_count() == 1 ? 0 : -1;  // the left relation's single key column, if any
  b.source_names.push_back(ldef->name);

  for (const auto& j : sel.joins) {
    auto rdef_r = FindSource(b, j.right);
    if (!rdef_r) return rdef_r.error();
    const SourceDef* rdef = *rdef_r;
    if (std::find(names.begin(), names.end(), rdef->name) != names.end())
      return At(j.pos, "Can not join '" + names[0] + "' to '" + rdef->name + "': self joins are not yet supported.");
    names.push_back(rdef->name);
    b.source_names.push_back(rdef->name);
    Scope right;
    AddSourceColumns(right, *rdef, j.right.alias, 0);
    right.has_row_meta = false;
    bool right_table = rdef->is_table;
    bool right_windowed = rdef->window_type != WindowType::kNone;
    std::string desc = (prev ? std::string("join") : sel.from.name) + " " + JoinName(j.type) + " JOIN " + j.right.name;
    if (left_table && !right_table)
      return At(j.pos, "Invalid join order: table-stream joins are not supported; only stream-table joins. Got " +
                           sel.from.name + " " + JoinName(j.type) + " JOIN " + j.right.name + ".");
    if (!left_table && right_table && (j.type == JoinType::kFull || j.type == JoinType::kRight))
      return At(j.pos, std::string("Invalid join type: ") + (j.type == JoinType::kFull ? "full-outer" : "right") +
                           " join not supported for stream-table join. Got " + sel.from.name + " " + JoinName(j.type) +
                           " JOIN " + j.right.name + ".");
    if (left_windowed != right_windowed)
      return At(j.pos, "Can not join windowed source to non-windowed source.");
    if (!left_table && !right_table && !j.has_within)
      return At(j.pos, "Stream-Stream joins must have a WITHIN clause specified. None was provided.");
    if ((left_table || right_table) && j.has_within)
      return At(j.pos, "A window definition was provided for a Stream-Table join. These joins are not windowed.");
    if (rdef->formats.value == "KAFKA" || ldef->formats.value == "KAFKA")
      return At(j.pos, "Source(s) " + ldef->name + ", " + rdef->name + " are using the 'KAFKA' value format. This format does not yet support JOIN.");
    // ON a = b, one side per relation.
    const Expr& on = *j.on;
    if (on.kind == ExprKind::kBinary && on.op == "AND")
      return At(on.pos, "Invalid join condition: joins on multiple conditions are not yet supported. Got " + FormatExpr(on) + ".");
    if (on.kind != ExprKind::kBinary || on.op != "=")
      return At(on.pos, "Unsupported join expression: " + FormatExpr(on) + ". Only equality joins are supported.");
    const Expr* le = on.children[0].get();
    const Expr* re = on.children[1].get();
    for (const Expr* side : {le, re})
      if (!HasColumns(*side))
        return At(on.pos, "Invalid comparison expression '" + FormatExpr(*side) + "' in join '" + FormatExpr(on) +
                              "'. Each side of the join comparision must contain references from exactly one source.");
    if (!ResolvesIn(*le, left) && ResolvesIn(*le, right)) std::swap(le, re);
    ExpressionBinder lb(left), rb(right);
    auto lk = lb.Bind(*le);
    if (!lk) {
      if (le->kind == ExprKind::kColumn)
        return At(le->pos, "JOIN ON column '" + FormatExpr(*le) + "' cannot be resolved.");
      return lk.error();
    }
    auto rk = rb.Bind(*re);
    if (!rk) {
      if (re->kind == ExprKind::kColumn)
        return At(re->pos, "JOIN ON column '" + FormatExpr(*re) + "' cannot be resolved.");
      return rk.error();
    }
    {
      const SqlType& lt = (*lk)->type();
      const SqlType& rt = (*rk)->type();
      if (!(lt == rt || (lt.is_numeric() && rt.is_numeric() && lt.id != TypeId::kDecimal && rt.id != TypeId::kDecimal)))
        return At(on.pos, "Invalid join condition: types don't match. Got " + FormatExpr(*le) + "{" + lt.ToString() +
                              "} = " + FormatExpr(*re) + "{" + rt.ToString() + "}.");
      if (right_table && rdef->key_count() != 1)
        return At(on.pos, "Invalid join condition: the right table's PRIMARY KEY has more than one column; joins on a partial key are not supported.");
    }
    JoinSpec spec;
    spec.type = j.type;
    spec.left_is_table = left_table;
    spec.right_is_table = right_table;
    spec.left_width = left_width;
    spec.right_width = rdef->columns.size();
    spec.left_key = *lk;
    spec.right_key = *rk;
    spec.before_ms = j.within_before_ms;
    spec.after_ms = j.within_after_ms;
    spec.grace_ms = j.grace_ms;
    int rslot = (*rk)->slot();
    int lslot = (*lk)->slot();
    if (right_table && !(rslot >= 0 && rslot < rdef->key_count())) {
      if (left_table)
        return At(on.pos, std::string("Invalid join condition: table-table joins require to join on the primary key of the right input table. Got ") +
                              FormatExpr(*le) + " = " + FormatExpr(*re) + ".");
      return At(on.pos, "Invalid join condition: stream-table joins require to join on the table's primary key. Got " +
                            FormatExpr(*le) + " = " + FormatExpr(*re) + ".");
    }
    bool left_is_pk = lslot >= 0 && (lslot == left_pk_slot ||
                                     std::find(b.key_aliases.begin(), b.key_aliases.end(), lslot) != b.key_aliases.end());
    if (left_table && right_table && !left_is_pk) {
      if (j.type != JoinType::kInner && j.type != JoinType::kLeft)
        return At(on.pos, "Invalid join type: foreign-key table-table joins only support INNER and LEFT joins.");
      spec.foreign_key = true;
    }
    auto op = std::make_unique<JoinOperator>(spec);
    JoinOperator* raw = op.get();
    raw->ctx = b.plan.ctx.get();
    if (prev) prev->next = raw->port(0);
    else left_reader->next = raw->port(0);
    b.plan.readers.emplace_back(rdef->topic, std::make_unique<SourceReader>(*rdef));
    b.plan.readers.back().second->next = raw->port(1);
    b.plan.operators.push_back(std::move(op));
    b.tail = raw;
    if (b.heads.empty()) b.heads.push_back(raw);
    prev = raw;

    // Joined scope: key, left columns, right columns.
    Scope joined;
    joined.has_row_meta = false;
    joined.windowed = left_windowed;
    SqlType key_type = spec.foreign_key ? left.columns[0].type : (*lk)->type();
    // ksqlDB's synthetic key: a join on expressions has no source column equal to the key, and in a FULL OUTER join
    // either side's column may be NULL, so neither is the key: the key is a new column, ROWKEY, and both sides'
    // columns stay values.
    bool synthetic = !spec.foreign_key && ((lslot < 0 && rslot < 0) || j.type == JoinType::kFull);
    joined.columns.push_back({"", synthetic ? "ROWKEY" : "__JOIN_KEY", key_type, 0, true});
    for (auto c : left.columns) {
      if (c.name == "__JOIN_KEY" || (c.slot == 0 && c.name == "ROWKEY")) continue;
      c.slot += 1;
      c.key = false;
      joined.columns.push_back(c);
    }
    for (auto c : right.columns) {
      c.slot += 1 + static_cast<int>(left_width);
      c.key = false;
      joined.columns.push_back(c);
    }
    joined.aliases = left.aliases;
    for (const auto& a : right.aliases) joined.aliases.push_back(a);
    // Joining on the key the relation already has keeps the columns equal to it as key aliases (an n-way join
    // on one key: any side's key column may be projected as the key, as in ksqlDB).
    std::vector<int> kept_aliases;
    if (!spec.foreign_key && !synthetic && lslot >= 0 &&
        std::find(b.key_aliases.begin(), b.key_aliases.end(), lslot) != b.key_aliases.end())
      for (int alias : b.key_aliases) kept_aliases.push_back(alias + 1);
    b.key_aliases.clear();
    if (spec.foreign_key) {
      b.key_aliases.push_back(left_pk_slot + 1);
    } else if (!synthetic) {
      if (lslot >= 0) b.key_aliases.push_back(lslot + 1);
      if (rslot >= 0) b.key_aliases.push_back(rslot + 1 + static_cast<int>(left_width));
      for (int alias : kept_aliases)
        if (std::find(b.key_aliases.begin(), b.key_aliases.end(), alias) == b.key_aliases.end())
          b.key_aliases.push_back(alias);
    }
    for (const auto& c : rdef->columns) {
      if (std::find(all_columns.begin(), all_columns.end(), c.name) != all_columns.end() &&
          std::find(b.join_common_names.begin(), b.join_common_names.end(), c.name) == b.join_common_names.end())
        b.join_common_names.push_back(c.name);
      all_columns.push_back(c.name);
    }
    left = std::move(joined);
    left_table = left_table && right_table;
    left_width = left.columns.size();
    left_pk_slot = 0;
  }
  // The left relation's previous key columns are now plain values; slot 0 is the key.
  b.scope = left;
  b.key_count = 1;
  b.key_names = {"ROWKEY"};
  for (const auto& c : b.scope.columns)
    if (!b.key_aliases.empty() && c.slot == b.key_aliases[0])
      b.key_names = {(b.join_common_names.empty() ? c.name : c.qualifier + "_" + c.name)};
  b.is_table = left_table;
  b.windowed = left_windowed;
  return {};
}

}  // namespace pipeline::sql
