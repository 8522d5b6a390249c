#include "connectors/cdc_event/table_patterns.h"

#include <fnmatch.h>

#include <algorithm>

namespace pipeline::cdc {

bool TablePatternMatches(const std::string& pattern, const std::string& default_schema, const TableName& name) {
  const size_t dot = pattern.find('.');
  const std::string schema = dot == std::string::npos ? default_schema : pattern.substr(0, dot);
  const std::string table = dot == std::string::npos ? pattern : pattern.substr(dot + 1);
  return fnmatch(schema.c_str(), name.schema.c_str(), 0) == 0 && fnmatch(table.c_str(), name.table.c_str(), 0) == 0;
}

bool AnyTablePatternMatches(const std::vector<std::string>& patterns, const std::string& default_schema,
                            const TableName& name) {
  return std::any_of(patterns.begin(), patterns.end(),
                     [&](const std::string& p) { return TablePatternMatches(p, default_schema, name); });
}

Result<std::vector<TableName>> MatchTablePatterns(const std::vector<std::string>& patterns,
                                                  const std::string& default_schema,
                                                  const std::vector<TableName>& catalog) {
  for (const std::string& pattern : patterns) {
    bool any = std::any_of(catalog.begin(), catalog.end(),
                           [&](const TableName& t) { return TablePatternMatches(pattern, default_schema, t); });
    if (!any)
      return ConfigError("tables: '" + pattern + "' matches no table (`*` does not cross the dot; a name without "
                         "a dot is in " + default_schema + ")");
  }
  std::vector<TableName> out;
  for (const TableName& t : catalog)
    if (AnyTablePatternMatches(patterns, default_schema, t)) out.push_back(t);
  return out;
}

}  // namespace pipeline::cdc
