// WHERE / HAVING. On a table, a row that stops matching becomes a delete of its key (as ksqlDB's table filter).
#pragma once

#include <string>
#include <unordered_set>

#include "sql/exec/expression.h"
#include "sql/exec/operator.h"

namespace pipeline::sql {

class FilterOperator final : public Operator {
 public:
  // track_emitted: delete only keys this filter let through before (HAVING over an aggregate's changelog).
  FilterOperator(BoundExprPtr predicate, bool table_mode, size_t key_count = 0, bool track_emitted = false)
      : predicate_(std::move(predicate)), table_mode_(table_mode), key_count_(key_count), track_(track_emitted) {}
  void Push(Change change) override;
  bool HasState() const override { return track_; }
  Value SaveState() const override;
  void RestoreState(const Value& state) override;

 private:
  bool Matches(const Row& row);
  BoundExprPtr predicate_;
  bool table_mode_;
  size_t key_count_;
  bool track_;
  std::unordered_set<std::string> passed_;  // keys currently present downstream (track_ only)
};

}  // namespace pipeline::sql
