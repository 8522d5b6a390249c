// The one list of built-in aggregate functions.
#include "sql/functions/aggregate/aggregate_families.h"
#include "sql/functions/aggregate_function.h"

namespace pipeline::sql {

const AggregateFunctionRegistry& BuiltinAggregateFunctions() {
  static const AggregateFunctionRegistry registry = [] {
    AggregateFunctionRegistry r;
    RegisterBasicAggregates(r);
    RegisterCollectionAggregates(r);
    RegisterOffsetAggregates(r);
    RegisterStatsAggregates(r);
    return r;
  }();
  return registry;
}

}  // namespace pipeline::sql
