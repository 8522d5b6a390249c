// Scope: the columns an expression may reference at one point of a query, each with its row slot.
#pragma once

#include <string>
#include <vector>

#include "core/result.h"
#include "sql/parser/ast.h"
#include "sql/types.h"

namespace pipeline::sql {

struct ScopeColumn {
  std::string qualifier;  // source alias ("" after a projection)
  std::string name;
  SqlType type;
  int slot = 0;
  bool key = false;
};

struct Scope {
  std::vector<ScopeColumn> columns;
  bool windowed = false;       // WINDOWSTART / WINDOWEND are available
  bool has_row_meta = true;    // ROWPARTITION / ROWOFFSET are available
  std::vector<std::string> aliases;  // source aliases, for qualified references

  // Finds a column; errors carry the position and a "did you mean" hint.
  Result<const ScopeColumn*> Resolve(const std::string& qualifier, const std::string& name, Position pos) const;
  const ScopeColumn* FindUnqualified(const std::string& name) const;
};

}  // namespace pipeline::sql
