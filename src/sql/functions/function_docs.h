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
// "unknown function COUNTT, did you mean COUNT?": the closest registered name (scalar or aggregate), if one is close.
std::string UnknownFunctionMessage(const std::string& name);
// "Function 'SUM' <message>", said once: a message that names the function already is left as it is.
std::string NamingFunction(const std::string& name, const std::string& message);

}  // namespace pipeline::sql
