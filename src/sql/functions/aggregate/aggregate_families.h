// Families of aggregate functions, each registered from its own file.
#pragma once

#include "sql/functions/aggregate_function.h"

namespace pipeline::sql {

void RegisterBasicAggregates(AggregateFunctionRegistry& r);       // COUNT, SUM, AVG, MIN, MAX (basic.cpp)
void RegisterCollectionAggregates(AggregateFunctionRegistry& r);  // COLLECT_LIST/SET, HISTOGRAM, TOPK...
void RegisterOffsetAggregates(AggregateFunctionRegistry& r);      // EARLIEST/LATEST_BY_OFFSET
void RegisterStatsAggregates(AggregateFunctionRegistry& r);       // STDDEV, CORRELATION

}  // namespace pipeline::sql
