// The SQL function reference (`pipe functions`, the README's function list), generated from the registries so
// that the documentation cannot drift from what is registered.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace pipeline::sql {

// Every scalar function (grouped by category) and every aggregate function, each with its signatures and
// description. `markdown` renders one table per category; otherwise aligned plain text for a terminal.
std::string RenderFunctionReference(bool markdown);
// One function (`pipe functions NAME`, any case): its category, signatures and description; nullopt if unknown.
std::optional<std::string> RenderFunction(const std::string& name);
std::vector<std::string> FunctionNames();

}  // namespace pipeline::sql
