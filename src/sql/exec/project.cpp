#include "sql/exec/project.h"

#include <algorithm>
#include <cctype>

namespace pipeline::sql {

namespace {

bool SameField(const std::string& a, const std::string& b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// Whether `part` can be moved out of the input row given that `other` also reads it: not when both read the same
// value (the second would find it gone). A field of a column the projection also selects whole is copied
// first, then the whole column moved.
bool Conflicts(const BoundExpr::Part& part, const BoundExpr::Part& other) {
  if (part.slot != other.slot) return false;
  if (part.field.empty()) return other.field.empty();
  return other.field.empty() || SameField(part.field, other.field);
}

}  // namespace

ProjectOperator::ProjectOperator(std::vector<BoundExprPtr> exprs, size_t key_count, bool rekey)
    : exprs_(std::move(exprs)), key_count_(key_count), rekey_(rekey) {
  std::vector<BoundExpr::Part> parts;
  for (const auto& e : exprs_) parts.push_back(e->part());
  for (size_t i = 0; i < parts.size(); ++i) {
    bool take = parts[i].slot >= 0;
    for (size_t j = 0; j < parts.size() && take; ++j) take = j == i || !Conflicts(parts[i], parts[j]);
    take_.push_back(take);
  }
  all_taken_ = std::all_of(take_.begin(), take_.end(), [](bool t) { return t; });
  for (const auto& part : parts) slots_.push_back(part.slot);
  in_place_ = true;
  int last_slot = -1;
  for (size_t i = 0; i < parts.size() && in_place_; ++i) {
    if (parts[i].slot < 0) continue;  // computed
    in_place_ = take_[i] && parts[i].field.empty() && parts[i].slot > last_slot && parts[i].slot >= static_cast<int>(i);
    last_slot = parts[i].slot;
  }
}

// Computed expressions are evaluated first, from the intact row; then column i is moved from its slot (at or
// after i, and after the slots of the columns before it) down to place i: nothing still to be read is
// overwritten.
void ProjectOperator::ApplyInPlace(Row& in, Row& out) {
  computed_.clear();
  for (size_t i = 0; i < exprs_.size(); ++i)
    if (slots_[i] < 0) computed_.push_back(exprs_[i]->Eval(in, ctx->eval));
  out.values = std::move(in.values);
  if (out.values.size() < exprs_.size()) out.values.resize(exprs_.size());
  size_t next_computed = 0;
  for (size_t i = 0; i < exprs_.size(); ++i) {
    const int slot = slots_[i];
    if (slot < 0) out.values[i] = std::move(computed_[next_computed++]);
    else if (slot != static_cast<int>(i)) out.values[i] = MoveOut(out.values[static_cast<size_t>(slot)]);
  }
  out.values.resize(exprs_.size());
}

// The input row is not used after this: columns and fields of columns are moved out of it once the other
// expressions (which may read the same columns) have been evaluated.
Row ProjectOperator::Apply(Row& in, bool keys_only) {
  Row out;
  out.rowtime = in.rowtime;
  out.partition = in.partition;
  out.offset = in.offset;
  out.window = in.window;
  out.headers = in.headers;
  out.key_absent = rekey_ ? false : in.key_absent;
  size_t n = keys_only ? key_count_ : exprs_.size();
  if (in_place_ && !keys_only) {
    ApplyInPlace(in, out);
  } else if (all_taken_) {
    // Values are built in place, in order: no placeholder to overwrite (Value moves are not free).
    out.values.reserve(exprs_.size());
    for (size_t i = 0; i < n; ++i) out.values.push_back(exprs_[i]->Take(in, ctx->eval));
    out.values.resize(exprs_.size());
  } else {
    out.values.resize(exprs_.size());
    for (size_t i = 0; i < n; ++i)
      if (!take_[i]) out.values[i] = exprs_[i]->Eval(in, ctx->eval);
    for (size_t i = 0; i < n; ++i)
      if (take_[i]) out.values[i] = exprs_[i]->Take(in, ctx->eval);
  }
  ctx->FlushEvalErrors();
  return out;
}

void ProjectOperator::Push(Change change) {
  Change out;
  out.tombstone = change.tombstone;
  out.row = Apply(change.row, change.tombstone);
  if (change.old) out.old = Apply(*change.old, false);
  next->Push(std::move(out));
}

}  // namespace pipeline::sql
