// SELECT list: expands *, names columns as ksqlDB does (alias, column or field name, else KSQL_COL_n), finds
// the key columns among the projected expressions, and derives the sink's schema, topic and formats.
#include <algorithm>
#include <functional>
#include <set>

#include "sql/exec/project.h"
#include "sql/identifier.h"
#include "sql/parser/expr_format.h"
#include "sql/planner/plan_builder.h"

namespace pipeline::sql {

namespace {

struct OutColumn {
  std::string name;
  BoundExprPtr expr;
  int key_slot = -1;  // >= 0: this projects key slot i of the input
  Position pos;
  bool named_by_user = false;
};

bool IsReservedName(const std::string& n) {
  return n == "ROWTIME" || n == "ROWPARTITION" || n == "ROWOFFSET" || n == "WINDOWSTART" || n == "WINDOWEND";
}

}  // namespace

Status PlanProjection(PlanBuilder& b, const SourceDef* insert_target) {
  const Select& sel = b.sel;
  // After aggregation or PARTITION BY, expressions equal to a key expression read the key slot.
  BindHook hook = b.MakeHook();
  ExpressionBinder binder(b.scope, hook);
  std::vector<OutColumn> cols;
  bool joined = b.source_names.size() > 1;
  bool key_claimed = false;  // joins: a key alias already became the key column
  for (const auto& item : sel.items) {
    if (!b.key_aliases.empty() && item.expr->kind != ExprKind::kStar) {
      auto probe = binder.Bind(*item.expr);
      if (probe && (*probe)->slot() == 0) key_claimed = true;
    }
  }
  for (const auto& item : sel.items) {
    if (item.expr->kind == ExprKind::kStar && !item.expr->children.empty()) {
      auto base = binder.Bind(*item.expr->children[0]);
      if (!base) return base.error();
      const SqlType& st = (*base)->type();
      if (st.id != TypeId::kStruct) return At(item.pos, "Expected a STRUCT before ->*, got " + st.ToString());
      for (size_t i = 0; i < st.fields.size(); ++i) {
        OutColumn oc;
        oc.name = st.fields[i].name;
        oc.expr = MakeFieldAccess(*base, static_cast<int>(i), st.fields[i].name, *st.fields[i].type);
        oc.pos = item.pos;
        cols.push_back(oc);
      }
      continue;
    }
    if (item.expr->kind == ExprKind::kStar) {
      bool any = false;
      for (const auto& c : b.scope.columns) {
        if (!item.expr->qualifier.empty() && c.qualifier != item.expr->qualifier) continue;
        if (c.name.rfind("__", 0) == 0) continue;  // internal columns (join keys) stay hidden
        OutColumn oc;
        oc.name = joined && !c.qualifier.empty() ? c.qualifier + "_" + c.name : c.name;
        oc.expr = MakeColumnRef(c.slot, c.type);
        oc.key_slot = c.slot < b.key_count ? c.slot : -1;
        bool alias_slot = !b.key_aliases.empty() &&
            (item.expr->qualifier.empty() ? c.slot == b.key_aliases[0]
                                          : std::find(b.key_aliases.begin(), b.key_aliases.end(), c.slot) != b.key_aliases.end());
        if (alias_slot && !key_claimed) {
          oc.expr = MakeColumnRef(0, c.type);
          oc.key_slot = 0;
          key_claimed = true;
        }
        oc.pos = item.pos;
        cols.push_back(oc);
        any = true;
      }
      if (!any && !item.expr->qualifier.empty())
        return At(item.pos, "'" + item.expr->qualifier + "' is not a valid stream/table name or alias.");
      continue;
    }
    auto bound = binder.Bind(*item.expr);
    if (!bound) return bound.error();
    OutColumn oc;
    oc.expr = *bound;
    oc.pos = item.pos;
    int s = (*bound)->slot();
    if (s >= 0 && s < b.key_count) oc.key_slot = s;
    if (!item.alias.empty()) {
      oc.name = item.alias;
      oc.named_by_user = true;
    } else if (item.expr->kind == ExprKind::kColumn) {
      oc.name = item.expr->name;
      if (joined && !item.expr->qualifier.empty() &&
          std::find(b.join_common_names.begin(), b.join_common_names.end(), oc.name) != b.join_common_names.end())
        oc.name = item.expr->qualifier + "_" + oc.name;
      if (IsReservedName(oc.name) && !b.scope.FindUnqualified(oc.name))
        return At(item.pos, "Reserved column name in select: `" + oc.name + "`. Please remove or alias the column.");
    } else if (item.expr->kind == ExprKind::kDereference) {
      oc.name = item.expr->name;
    }
    cols.push_back(oc);
  }
  // Generated names skip names already in use.
  std::set<std::string> used;
  for (const auto& c : cols)
    if (!c.name.empty()) used.insert(c.name);
  int next_generated = 0;
  for (auto& c : cols) {
    if (!c.name.empty()) continue;
    std::string n;
    do n = "KSQL_COL_" + std::to_string(next_generated++);
    while (used.count(n));
    c.name = n;
    used.insert(n);
  }
  for (const auto& c : cols)
    if (c.named_by_user && IsReservedName(c.name))
      return At(c.pos, "`" + c.name + "` is a reserved column name. You cannot use it as an alias for a column.");

  // Key columns: every input key slot must be projected exactly once.
  std::vector<int> key_col(b.key_count, -1);
  for (size_t i = 0; i < cols.size(); ++i) {
    int k = cols[i].key_slot;
    if (k < 0) continue;
    if (key_col[k] >= 0) {
      // ksqlDB allows a key column to be copied into the value only through AS_VALUE().
      return At(cols[i].pos, "The projection contains a key column more than once: `" + cols[key_col[k]].name +
                                 "` and `" + cols[i].name + "`.");
    }
    key_col[k] = static_cast<int>(i);
  }
  // A stream may drop its key (the result has no key columns); re-keyed, grouped or joined results may not.
  bool plain_stream = !b.is_table && b.key_texts.empty() && b.key_aliases.empty();
  bool any_key_missing = false;
  for (int k = 0; k < b.key_count; ++k) any_key_missing |= key_col[k] < 0;
  if (plain_stream && any_key_missing) {
    for (auto& c : cols) c.key_slot = -1;
    key_col.clear();
    b.key_count = 0;
  }
  for (int k = 0; k < b.key_count; ++k) {
    if (key_col[k] < 0) {
      std::string what = !b.key_texts.empty() ? (b.sel.group_by.empty() ? "partitioning expression " : "grouping expression ") : "key column ";
      std::string key_name = k < static_cast<int>(b.key_names.size()) ? b.key_names[k] : "?";
      return At(sel.pos, "Key missing from projection (ie, SELECT). See https://cnfl.io/2LV7ouS.\nThe query used to build `" +
                             b.st.name + "` must include the " + what + key_name + " in its projection (eg, SELECT " + key_name + "...).");
    }
  }

  SourceDef out;
  out.name = b.st.name;
  out.is_table = b.st.kind == StatementKind::kCreateAsSelect ? b.st.is_table : (insert_target && insert_target->is_table);
  out.from_query = true;
  out.window_type = b.windowed ? (sel.window.type != WindowType::kNone ? sel.window.type : WindowType::kTumbling) : WindowType::kNone;
  out.window_size_ms = sel.window.size_ms;
  std::vector<BoundExprPtr> exprs;
  std::set<std::string> names;
  std::function<bool(const SqlType&)> has_map = [&](const SqlType& t) {
    if (t.id == TypeId::kMap) return true;
    if (t.element && has_map(*t.element)) return true;
    for (const auto& f : t.fields)
      if (f.type && has_map(*f.type)) return true;
    return false;
  };
  for (int k = 0; k < b.key_count; ++k) {
    const OutColumn& c = cols[key_col[k]];
    if (has_map(c.expr->type()))
      return At(c.pos, "Map keys, including types that contain maps, are not supported as they may lead to unexpected behavior due to inconsistent serialization. Key column name: `" + c.name + "`. Column type: " + c.expr->type().ToString() + ".");
    out.columns.push_back({c.name, c.expr->type(), true});
    exprs.push_back(c.expr);
    names.insert(c.name);
  }
  for (const auto& c : cols) {
    if (c.key_slot >= 0) continue;
    if (!names.insert(c.name).second) return At(c.pos, "Duplicate column names: " + c.name);
    out.columns.push_back({c.name, c.expr->type(), false});
    exprs.push_back(c.expr);
  }
  if (static_cast<int>(out.columns.size()) == b.key_count)
    return At(sel.pos, "The projection contains no value columns.");

  if (insert_target) {
    if (insert_target->columns.size() != out.columns.size())
      return ConfigError("Incompatible schema between results and sink. Result schema is " + out.SchemaString() +
                         ", but the sink schema is " + insert_target->SchemaString() + ".");
    for (size_t i = 0; i < out.columns.size(); ++i)
      if (out.columns[i].name != insert_target->columns[i].name || out.columns[i].type != insert_target->columns[i].type ||
          out.columns[i].key != insert_target->columns[i].key)
        return ConfigError("Incompatible schema between results and sink. Result schema is " + out.SchemaString() +
                           ", but the sink schema is " + insert_target->SchemaString() + ".");
    b.plan.output = *insert_target;
  } else {
    // Topic and formats: WITH overrides, else inherited from the (left) source.
    const SourceDef* src = b.catalog.Find(b.source_names.front());
    if (src) {
      out.formats.key = src->formats.key;
      out.formats.key_delimiter = src->formats.key_delimiter;
      out.formats.value = src->formats.value;
      out.formats.delimiter = src->formats.delimiter;
    }
    auto prop = [&](const char* k) {
      auto it = b.options.properties.find(k);
      return it == b.options.properties.end() ? std::string() : AsciiUpper(it->second);
    };
    if (prop("ksql.persistence.wrap.single.values") == "FALSE") out.formats.wrap_single_value = false;
    PIPE_RETURN_IF_ERROR(ApplyFormatProperties(b.st, out.formats));
    if (b.key_count == 0) out.formats.key = "NONE";
    else if (out.formats.key == "NONE") out.formats.key = prop("ksql.persistence.default.format.key").empty() ? "KAFKA" : prop("ksql.persistence.default.format.key");
    auto topic = b.st.properties.find("KAFKA_TOPIC");
    if (topic != b.st.properties.end()) {
      out.topic = topic->second.ToString();
    } else {
      auto prefix = b.options.properties.find("ksql.output.topic.name.prefix");
      out.topic = (prefix == b.options.properties.end() ? "" : prefix->second) + out.name;
    }
    if (auto p = b.st.properties.find("PARTITIONS"); p != b.st.properties.end() && p->second.is_int())
      out.partitions = static_cast<int>(p->second.as_int());
    if (auto ts = b.st.properties.find("TIMESTAMP"); ts != b.st.properties.end()) {
      std::string name = ts->second.ToString();
      std::string upper = AsciiUpper(name);
      out.timestamp_column = out.FindColumn(upper) >= 0 ? upper : name;
      if (out.FindColumn(out.timestamp_column) < 0)
        return At(b.st.pos, "The TIMESTAMP column set in the WITH clause does not exist in the schema: '" + name + "'");
      if (auto tf = b.st.properties.find("TIMESTAMP_FORMAT"); tf != b.st.properties.end()) out.timestamp_format = tf->second.ToString();
    }
    PIPE_RETURN_IF_ERROR(ValidateFormats(out));
    b.plan.output = out;
  }
  b.Append(std::make_unique<ProjectOperator>(std::move(exprs), b.key_count));
  return {};
}

}  // namespace pipeline::sql
