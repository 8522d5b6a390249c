// Aggregate SQL functions (COUNT, SUM, ..., TOPK, HISTOGRAM). Bound once per call site like scalars; each group
// gets its own Accumulator. Tables feed aggregations with retractions (Undo) as in ksqlDB's table aggregations.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/value.h"
#include "sql/types.h"

namespace pipeline::sql {

class Accumulator {
 public:
  virtual ~Accumulator() = default;
  // args are the evaluated arguments of this call for one row (COUNT(*) gets none).
  virtual void Add(const std::vector<Value>& args) = 0;
  // Retract a row previously added (aggregation over a TABLE, when a row is updated or deleted).
  virtual void Undo(const std::vector<Value>& args) { (void)args; }
  virtual Value Result() const = 0;
  // State as a Value, for snapshots and changelogs; Restore(Save()) must give an equal accumulator.
  virtual Value Save() const = 0;
  virtual void Restore(const Value& saved) = 0;
  // Session windows merge the accumulators of the sessions they join.
  virtual void Merge(const Accumulator& other) { (void)other; }
};

struct BoundAggregate {
  SqlType return_type;
  std::function<std::unique_ptr<Accumulator>()> make;
  bool supports_undo = false;
};

// Arguments after the first may be literals (TOPK(col, 3)); they arrive as constant values.
using AggregateBinder =
    std::function<Result<BoundAggregate>(const std::vector<SqlType>& arg_types, const std::vector<Value>& literal_args)>;

struct AggregateFunctionSpec {
  std::string name;
  std::string signature;
  std::string description;
  AggregateBinder bind;
};

class AggregateFunctionRegistry {
 public:
  void Add(AggregateFunctionSpec spec);
  const AggregateFunctionSpec* Find(const std::string& upper_name) const;
  std::vector<const AggregateFunctionSpec*> All() const;

 private:
  std::map<std::string, AggregateFunctionSpec> functions_;
};

const AggregateFunctionRegistry& BuiltinAggregateFunctions();

}  // namespace pipeline::sql
