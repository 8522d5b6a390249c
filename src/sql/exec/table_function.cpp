#include "sql/exec/table_function.h"

namespace pipeline::sql {

namespace {

// All 2^n combinations of the elements, each either kept or NULL, in ksqlDB's order.
Array Cube(const Array& in) {
  Array out;
  size_t n = in.size();
  for (size_t mask = 0; mask < (size_t{1} << n); ++mask) {
    Array combo(n);
    for (size_t i = 0; i < n; ++i)
      if (mask & (size_t{1} << (n - 1 - i))) combo[i] = in[i];
    out.push_back(Value(std::move(combo)));
  }
  return out;
}

}  // namespace

void TableFunctionOperator::Push(Change change) {
  if (change.tombstone) return;
  std::vector<Array> results;
  size_t rows = 0;
  for (const auto& c : calls_) {
    Value v = c.arg->Eval(change.row, ctx->eval);
    Array a;
    if (v.is_array()) a = c.kind == TableFunctionKind::kExplode ? v.as_array() : Cube(v.as_array());
    rows = std::max(rows, a.size());
    results.push_back(std::move(a));
  }
  ctx->FlushEvalErrors();
  for (size_t r = 0; r < rows; ++r) {
    Change out;
    out.row = change.row;
    for (const auto& a : results) out.row.values.push_back(r < a.size() ? a[r] : Value());
    next->Push(std::move(out));
  }
}

}  // namespace pipeline::sql
