#include "sql/exec/join_window_buffer.h"

#include "sql/exec/row_state.h"

namespace pipeline::sql {

std::deque<JoinWindowBuffer::Buffered>* JoinWindowBuffer::Find(const std::string& key) {
  auto it = by_key_.find(key);
  return it == by_key_.end() ? nullptr : &it->second;
}

void JoinWindowBuffer::Index(const std::string& key, const Buffered& row) {
  expiry_.push(Due{row.row.rowtime + retention_, row.seq, key});
  if (row.pending_outer) outer_due_.push(Due{row.row.rowtime + outer_delay_, row.seq, key});
}

void JoinWindowBuffer::Add(const std::string& key, Buffered row) {
  row.seq = next_seq_++;
  Index(key, row);
  by_key_[key].push_back(std::move(row));
  ++rows_;
}

void JoinWindowBuffer::Expire(int64_t stream_time) {
  while (!expiry_.empty() && expiry_.top().at < stream_time) {
    auto it = by_key_.find(expiry_.top().key);
    expiry_.pop();
    if (it == by_key_.end()) continue;  // the key's rows went with an earlier entry
    // Rows of a key arrive out of time order within grace, so every expired row of the key goes, not a prefix.
    size_t dropped = std::erase_if(it->second, [&](const Buffered& b) {
      return b.row.rowtime + retention_ < stream_time && !b.pending_outer;
    });
    rows_ -= dropped;
    if (it->second.empty()) by_key_.erase(it);
  }
}

void JoinWindowBuffer::TakeClosedOuter(int64_t stream_time, const std::function<void(const Buffered&)>& emit) {
  while (!outer_due_.empty() && outer_due_.top().at < stream_time) {
    Due due = outer_due_.top();
    outer_due_.pop();
    std::deque<Buffered>* rows = Find(due.key);
    if (!rows) continue;
    for (Buffered& b : *rows) {
      if (b.seq != due.seq) continue;
      if (b.pending_outer && !b.matched) {
        b.pending_outer = false;
        emit(b);
      }
      break;
    }
  }
}

Value JoinWindowBuffer::Save() const {
  Array keys;
  for (const auto& [key, rows] : by_key_) {
    Array buffered;
    for (const auto& b : rows)
      buffered.push_back(Value(Array{RowState(b.row), Value(b.matched), Value(b.pending_outer)}));
    keys.push_back(Value(Array{Value(Bytes{key}), Value(std::move(buffered))}));
  }
  return Value(std::move(keys));
}

void JoinWindowBuffer::Restore(const Value& state) {
  by_key_.clear();
  expiry_ = {};
  outer_due_ = {};
  rows_ = 0;
  for (const auto& entry : state.as_array()) {
    const std::string& key = entry.as_array().at(0).as_bytes().data;
    for (const auto& b : entry.as_array().at(1).as_array())
      Add(key, Buffered{RowFromState(b.as_array().at(0)), b.as_array().at(1).as_bool(), b.as_array().at(2).as_bool()});
  }
}

}  // namespace pipeline::sql
