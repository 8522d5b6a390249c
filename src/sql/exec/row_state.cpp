#include "sql/exec/row_state.h"

namespace pipeline::sql {

Value WindowState(const std::optional<WindowBounds>& window) {
  if (!window) return {};
  return Value(Array{Value(window->start), Value(window->end), Value(window->session)});
}

std::optional<WindowBounds> WindowFromState(const Value& state) {
  if (state.is_null()) return std::nullopt;
  const Array& a = state.as_array();
  return WindowBounds{a.at(0).as_int(), a.at(1).as_int(), a.at(2).as_bool()};
}

Value RowState(const Row& row) {
  return Value(Array{Value(row.values), Value(row.rowtime), Value(int64_t{row.partition}), Value(row.offset),
                     WindowState(row.window), Value(row.key_absent)});
}

Row RowFromState(const Value& state) {
  const Array& a = state.as_array();
  Row row;
  row.values = a.at(0).as_array();
  row.rowtime = a.at(1).as_int();
  row.partition = static_cast<int32_t>(a.at(2).as_int());
  row.offset = a.at(3).as_int();
  row.window = WindowFromState(a.at(4));
  row.key_absent = a.at(5).as_bool();
  return row;
}

}  // namespace pipeline::sql
