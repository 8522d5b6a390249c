#include "sql/exec/project.h"

#include <map>

namespace pipeline::sql {

ProjectOperator::ProjectOperator(std::vector<BoundExprPtr> exprs, size_t key_count, bool rekey)
    : exprs_(std::move(exprs)), key_count_(key_count), rekey_(rekey) {
  std::map<int, int> selected;  // slot -> how many expressions are that plain column
  for (const auto& e : exprs_)
    if (e->slot() >= 0) ++selected[e->slot()];
  for (const auto& e : exprs_) take_.push_back(e->slot() >= 0 && selected[e->slot()] == 1);
}

// The input row is not used after this: plain columns are moved out of it once the other expressions (which
// may read the same columns) have been evaluated.
Row ProjectOperator::Apply(Row& in, bool keys_only) {
  Row out;
  out.rowtime = in.rowtime;
  out.partition = in.partition;
  out.offset = in.offset;
  out.window = in.window;
  out.headers = in.headers;
  out.key_absent = rekey_ ? false : in.key_absent;
  out.values.resize(exprs_.size());
  size_t n = keys_only ? key_count_ : exprs_.size();
  for (size_t i = 0; i < n; ++i)
    if (!take_[i]) out.values[i] = exprs_[i]->Eval(in, ctx->eval);
  for (size_t i = 0; i < n; ++i)
    if (take_[i]) out.values[i] = std::move(in.values[static_cast<size_t>(exprs_[i]->slot())]);
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
