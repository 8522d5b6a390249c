// The `tables` option of the CDC sources: `schema.table` (MySQL: `database.table`) names or glob patterns (`*`,
// `?`, `[...]`, fnmatch), each part matched on its own, so `*` never crosses the dot: `public.cust*` matches
// public.customers, not public.cust.x or other_schema.customers; `*.orders` matches orders in every schema. A
// pattern without a dot names a table of the default schema (PostgreSQL: public; MySQL: the dsn's database).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "core/result.h"

namespace pipeline::cdc {

struct TableName {
  std::string schema;
  std::string table;
  std::string full() const { return schema + "." + table; }
  bool operator==(const TableName&) const = default;
};

bool TablePatternMatches(const std::string& pattern, const std::string& default_schema, const TableName& name);
bool AnyTablePatternMatches(const std::vector<std::string>& patterns, const std::string& default_schema,
                            const TableName& name);

// The tables of `catalog` that `patterns` select, in catalog order, each once. A pattern that selects none is a
// Config error naming it, so a typo is not a source that captures nothing.
Result<std::vector<TableName>> MatchTablePatterns(const std::vector<std::string>& patterns,
                                                  const std::string& default_schema,
                                                  const std::vector<TableName>& catalog);

}  // namespace pipeline::cdc
