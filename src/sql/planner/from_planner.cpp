// FROM: a single stream/table feeds the query through a SourceReader; joins are planned in join_planner.cpp.
#include "sql/planner/plan_builder.h"

namespace pipeline::sql {

Status PlanJoin(PlanBuilder& b);

Result<const SourceDef*> FindSource(const PlanBuilder& b, const SourceRef& ref) {
  const SourceDef* def = b.catalog.Find(ref.name);
  if (!def) {
    std::string hint = b.catalog.Closest(ref.name);
    return At(ref.pos, "'" + ref.name + "' is not a valid stream/table name or alias." +
                           (hint.empty() ? "" : " Did you mean '" + hint + "'?"));
  }
  return def;
}

void AddSourceColumns(Scope& scope, const SourceDef& def, const std::string& alias, int first_slot) {
  for (size_t i = 0; i < def.columns.size(); ++i)
    scope.columns.push_back({alias, def.columns[i].name, def.columns[i].type, first_slot + static_cast<int>(i), def.columns[i].key});
  scope.aliases.push_back(alias);
}

Status PlanFrom(PlanBuilder& b) {
  if (!b.sel.joins.empty()) return PlanJoin(b);
  auto def = FindSource(b, b.sel.from);
  if (!def) return def.error();
  const SourceDef& src = **def;
  AddSourceColumns(b.scope, src, b.sel.from.alias, 0);
  b.scope.windowed = src.window_type != WindowType::kNone;
  b.windowed = b.scope.windowed;
  b.is_table = src.is_table;
  b.key_count = src.key_count();
  for (int i = 0; i < b.key_count; ++i) b.key_names.push_back(src.columns[i].name);
  b.source_names.push_back(src.name);
  b.plan.readers.emplace_back(src.topic, std::make_unique<SourceReader>(src));
  return {};
}

}  // namespace pipeline::sql
