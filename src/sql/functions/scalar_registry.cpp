// The scalar function registry: name (upper case) -> spec. Filled once at start-up, read-only afterwards.
#include "sql/functions/scalar_function.h"

namespace pipeline::sql {

void ScalarFunctionRegistry::Add(ScalarFunctionSpec spec) {
  std::string name = spec.name;
  functions_.insert_or_assign(std::move(name), std::move(spec));
}

const ScalarFunctionSpec* ScalarFunctionRegistry::Find(const std::string& upper_name) const {
  auto it = functions_.find(upper_name);
  return it == functions_.end() ? nullptr : &it->second;
}

std::vector<const ScalarFunctionSpec*> ScalarFunctionRegistry::All() const {
  std::vector<const ScalarFunctionSpec*> out;
  out.reserve(functions_.size());
  for (const auto& [name, spec] : functions_) out.push_back(&spec);  // std::map: already sorted by name
  return out;
}

}  // namespace pipeline::sql
