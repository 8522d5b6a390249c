// Rows and windows as Values, for operator state snapshots (see Operator::SaveState).
#pragma once

#include "core/record.h"
#include "sql/exec/row.h"

namespace pipeline::sql {

Value WindowState(const std::optional<WindowBounds>& window);
std::optional<WindowBounds> WindowFromState(const Value& state);

// Headers as [[key, value-or-null], ...]; null when there are none.
Value HeadersState(const RowHeaders& headers);
RowHeaders HeadersFromState(const Value& state);

Value RowState(const Row& row);
Row RowFromState(const Value& state);

// A map from state-store key (encoded key bytes) to row, as a Value, and back.
template <class RowMap>
Value RowsByKeyState(const RowMap& rows) {
  Array out;
  out.reserve(rows.size());
  for (const auto& [key, row] : rows) out.push_back(Value(Array{Value(Bytes{key}), RowState(row)}));
  return Value(std::move(out));
}

template <class RowMap>
void RestoreRowsByKey(const Value& state, RowMap& rows) {
  rows.clear();
  for (const auto& e : state.as_array()) rows.emplace(e.as_array().at(0).as_bytes().data, RowFromState(e.as_array().at(1)));
}

}  // namespace pipeline::sql
