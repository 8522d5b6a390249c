#include "sql/exec/project.h"

namespace pipeline::sql {

Row ProjectOperator::Apply(const Row& in, bool keys_only) {
  Row out;
  out.rowtime = in.rowtime;
  out.partition = in.partition;
  out.offset = in.offset;
  out.window = in.window;
  out.headers = in.headers;
  out.key_absent = rekey_ ? false : in.key_absent;
  out.values.resize(exprs_.size());
  size_t n = keys_only ? key_count_ : exprs_.size();
  for (size_t i = 0; i < n; ++i) out.values[i] = exprs_[i]->Eval(in, ctx->eval);
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
