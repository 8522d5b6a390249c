#include "sql/exec/filter.h"

#include "sql/exec/row_key.h"

namespace pipeline::sql {

bool FilterOperator::Matches(const Row& row) {
  Value v = predicate_->Eval(row, ctx->eval);
  ctx->FlushEvalErrors();
  return v.is_bool() && v.as_bool();
}

void FilterOperator::Push(Change change) {
  if (track_) {
    std::string key = KeyOf(change.row.values, 0, key_count_);
    if (change.row.window) key += "@" + std::to_string(change.row.window->start);
    bool pass = !change.tombstone && Matches(change.row);
    if (pass) {
      passed_.insert(key);
      next->Push(std::move(change));
    } else if (passed_.erase(key) > 0) {
      change.tombstone = true;
      next->Push(std::move(change));
    }
    return;
  }
  if (change.tombstone) {
    if (table_mode_) next->Push(std::move(change));
    return;
  }
  if (change.old && !Matches(*change.old)) change.old.reset();
  if (Matches(change.row)) {
    next->Push(std::move(change));
  } else if (table_mode_) {
    change.tombstone = true;
    next->Push(std::move(change));
  }
}

Value FilterOperator::SaveState() const {
  Array keys;
  for (const std::string& key : passed_) keys.push_back(Value(Bytes{key}));
  return Value(std::move(keys));
}

void FilterOperator::RestoreState(const Value& state) {
  passed_.clear();
  for (const Value& key : state.as_array()) passed_.insert(key.as_bytes().data);
}

}  // namespace pipeline::sql
