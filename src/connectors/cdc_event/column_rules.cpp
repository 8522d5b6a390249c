#include "connectors/cdc_event/column_rules.h"

#include <fnmatch.h>

namespace pipeline::cdc {
namespace {

bool Matches(const std::vector<std::string>& patterns, const std::string& name) {
  for (const std::string& pattern : patterns)
    if (fnmatch(pattern.c_str(), name.c_str(), 0) == 0) return true;
  return false;
}

std::vector<std::string> SplitColumns(const std::string& list) {
  std::vector<std::string> columns;
  size_t start = 0;
  while (start <= list.size()) {
    size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    std::string column = list.substr(start, comma - start);
    column.erase(0, column.find_first_not_of(" \t"));
    column.erase(column.find_last_not_of(" \t") + 1);
    if (!column.empty()) columns.push_back(column);
    start = comma + 1;
  }
  return columns;
}

}  // namespace

std::vector<OptionSpec> ColumnRuleOptions(const std::string& table_path) {
  return {{.name = "columns",
           .type = OptionType::kObject,
           .description = "Which columns changes carry, as Debezium's column.include.list / column.exclude.list: "
                          "patterns of " + table_path + ".<column> (`*` matches any part of a name). Give include "
                          "or exclude, not both. The key columns are kept whatever the lists say.",
           .fields = {{.name = "include", .type = OptionType::kStringList, .description = "Only these columns."},
                      {.name = "exclude", .type = OptionType::kStringList, .description = "All but these columns."}}},
          {.name = "key_columns",
           .type = OptionType::kMap,
           .description = "The key of the tables that match a pattern of " + table_path + ", as Debezium's "
                          "message.key.columns: {\"" + table_path + "\": \"a, b\"}. For a table without a primary "
                          "key (its records have none otherwise), or to key by other columns."}};
}

Result<ColumnRules> ColumnRules::FromOptions(const Options& options) {
  ColumnRules rules;
  if (options.Has("columns")) {
    const Options columns = options.Object("columns");
    rules.include_ = columns.GetStringList("include");
    rules.exclude_ = columns.GetStringList("exclude");
    if (!rules.include_.empty() && !rules.exclude_.empty())
      return options.ErrorAt("columns", "give include or exclude, not both");
    if (rules.include_.empty() && rules.exclude_.empty())
      return options.ErrorAt("columns", "give include or exclude: a list of <table>.<column> patterns");
  }
  for (const auto& [table, list] : options.GetMap("key_columns")) {
    std::vector<std::string> key = SplitColumns(list);
    if (key.empty()) return options.ErrorAt("key_columns", "no columns for '" + table + "': give \"a, b\"");
    rules.keys_.emplace_back(table, std::move(key));
  }
  return rules;
}

bool ColumnRules::Kept(const std::string& column) const {
  if (!include_.empty()) return Matches(include_, column);
  return !Matches(exclude_, column);
}

const ColumnRules::Shape& ColumnRules::ShapeOf(const std::string& table, const FieldNamesPtr& names) const {
  auto found = shapes_.find({table, names.get()});
  if (found != shapes_.end()) return found->second.second;
  Shape shape;
  for (const auto& [pattern, key] : keys_) {
    if (fnmatch(pattern.c_str(), table.c_str(), 0) != 0) continue;
    for (const std::string& column : key) shape.key_at.push_back(static_cast<size_t>(names->IndexOf(column)));
    shape.key_names = MakeFieldNames(key);
    break;
  }
  std::vector<std::string> kept_names;
  for (size_t i = 0; i < names->names.size(); ++i) {
    const std::string& column = names->names[i];
    const bool in_key = shape.key_names && shape.key_names->IndexOf(column) >= 0;
    if (!in_key && !Kept(table + "." + column)) {
      shape.all_kept = false;
      continue;
    }
    shape.kept.push_back(i);
    kept_names.push_back(column);
  }
  shape.kept_names = MakeFieldNames(std::move(kept_names));
  // The names are kept alive beside their shape: the key is their address, which a freed set could reuse.
  return shapes_.emplace(std::pair{table, names.get()}, std::pair{names, std::move(shape)}).first->second.second;
}

Value ColumnRules::Reshaped(const Shape& shape, const Value& row) const {
  if (shape.all_kept) return row;
  const Struct& in = row.as_struct();
  Struct out;
  out.names = shape.kept_names;
  out.values.reserve(shape.kept.size());
  for (size_t i : shape.kept) out.values.push_back(i < in.values.size() ? in.values[i] : Value());
  return Value(std::move(out));
}

void ColumnRules::Apply(const std::string& table, Change& change) const {
  const Value& row = change.after.is_struct() ? change.after : change.before;
  if (empty() || !row.is_struct()) return;
  const Shape& shape = ShapeOf(table, row.as_struct().names);
  if (shape.key_names) {
    Struct key;
    key.names = shape.key_names;
    for (size_t at : shape.key_at)
      key.values.push_back(at < row.as_struct().values.size() ? row.as_struct().values[at] : Value());
    change.key = Value(std::move(key));
  }
  if (change.after.is_struct()) change.after = Reshaped(shape, change.after);
  // A before-image of the key columns only (no REPLICA IDENTITY FULL) has other names: its own shape.
  if (change.before.is_struct())
    change.before = Reshaped(ShapeOf(table, change.before.as_struct().names), change.before);
}

}  // namespace pipeline::cdc
