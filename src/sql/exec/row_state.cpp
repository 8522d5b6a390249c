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

Value HeadersState(const RowHeaders& headers) {
  if (!headers) return {};
  Array out;
  for (const Header& h : *headers) out.push_back(Value(Array{Value(h.key), h.value ? Value(Bytes{*h.value}) : Value()}));
  return Value(std::move(out));
}

RowHeaders HeadersFromState(const Value& state) {
  if (state.is_null()) return nullptr;
  std::vector<Header> headers;
  for (const Value& h : state.as_array()) {
    const Array& kv = h.as_array();
    headers.push_back({kv.at(0).as_string(), kv.at(1).is_null() ? std::nullopt : std::optional(kv.at(1).as_bytes().data)});
  }
  return std::make_shared<const std::vector<Header>>(std::move(headers));
}

Value RowState(const Row& row) {
  return Value(Array{Value(row.values), Value(row.rowtime), Value(int64_t{row.partition}), Value(row.offset),
                     WindowState(row.window), Value(row.key_absent), HeadersState(row.headers)});
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
  if (a.size() > 6) row.headers = HeadersFromState(a[6]);  // snapshots written before rows kept headers have 6
  return row;
}

}  // namespace pipeline::sql
