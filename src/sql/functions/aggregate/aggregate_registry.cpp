#include <algorithm>

#include "sql/functions/aggregate_function.h"

namespace pipeline::sql {

void AggregateFunctionRegistry::Add(AggregateFunctionSpec spec) {
  std::string name = spec.name;
  functions_[name] = std::move(spec);
}

const AggregateFunctionSpec* AggregateFunctionRegistry::Find(const std::string& upper_name) const {
  auto it = functions_.find(upper_name);
  return it == functions_.end() ? nullptr : &it->second;
}

std::vector<const AggregateFunctionSpec*> AggregateFunctionRegistry::All() const {
  std::vector<const AggregateFunctionSpec*> out;
  for (const auto& [n, s] : functions_) out.push_back(&s);
  return out;
}

}  // namespace pipeline::sql
