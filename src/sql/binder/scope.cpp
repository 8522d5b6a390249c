#include "sql/binder/scope.h"

#include "sql/binder/catalog.h"

namespace pipeline::sql {

const ScopeColumn* Scope::FindUnqualified(const std::string& name) const {
  for (const auto& c : columns)
    if (c.name == name) return &c;
  return nullptr;
}

Result<const ScopeColumn*> Scope::Resolve(const std::string& qualifier, const std::string& name, Position pos) const {
  const ScopeColumn* found = nullptr;
  int matches = 0;
  bool qualifier_known = qualifier.empty();
  for (const auto& c : columns) {
    if (!qualifier.empty() && c.qualifier == qualifier) qualifier_known = true;
    if (c.name == name && (qualifier.empty() || c.qualifier == qualifier)) {
      if (!found) found = &c;
      ++matches;
    }
  }
  if (!qualifier.empty() && !qualifier_known) {
    for (const auto& a : aliases)
      if (a == qualifier) qualifier_known = true;
    if (!qualifier_known)
      return ConfigError(pos.ToString() + ": Source '" + qualifier + "' not found in the FROM clause (line " + pos.ToString() + ")");
  }
  if (matches > 1 && qualifier.empty())
    return ConfigError(pos.ToString() + ": Column '" + name + "' is ambiguous. Could be any of: " + [&] {
      std::string s;
      for (const auto& c : columns)
        if (c.name == name) s += (s.empty() ? "" : ", ") + c.qualifier + "." + c.name;
      return s;
    }());
  if (found) return found;
  std::string hint;
  int best = 3;
  for (const auto& c : columns) {
    int d = EditDistance(name, c.name);
    if (d < best) { best = d; hint = c.name; }
  }
  std::string full = qualifier.empty() ? name : qualifier + "." + name;
  return ConfigError(pos.ToString() + ": column '" + full + "' cannot be resolved." +
                     (hint.empty() ? "" : " Did you mean '" + hint + "'?"));
}

}  // namespace pipeline::sql
