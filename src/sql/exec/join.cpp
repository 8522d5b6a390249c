#include "sql/exec/join.h"

#include <algorithm>

#include "sql/exec/row_key.h"
#include "sql/exec/row_state.h"

namespace pipeline::sql {

namespace {

// ksqlDB's grace when a stream-stream join names none.
constexpr int64_t kDefaultGraceMs = 24 * 3600 * 1000LL;

JoinWindowBuffer SideBuffer(const JoinSpec& spec, int side) {
  int64_t grace = spec.grace_ms.value_or(kDefaultGraceMs);
  int64_t window_after = side == 0 ? spec.after_ms : spec.before_ms;
  return JoinWindowBuffer(spec.before_ms + spec.after_ms + grace, window_after + grace);
}

}  // namespace

JoinOperator::JoinOperator(JoinSpec spec)
    : spec_(std::move(spec)), buffers_{SideBuffer(spec_, 0), SideBuffer(spec_, 1)} {}

bool JoinOperator::IsOuter(int side) const {
  if (spec_.type == JoinType::kFull) return true;
  return side == 0 ? spec_.type == JoinType::kLeft : spec_.type == JoinType::kRight;
}

void JoinOperator::EmitJoined(const Value& key, const Row* left, const Row* right, int64_t ts) {
  Change out;
  out.row.values.reserve(1 + spec_.left_width + spec_.right_width);
  out.row.values.push_back(key);
  for (size_t i = 0; i < spec_.left_width; ++i) out.row.values.push_back(left ? left->values[i] : Value());
  for (size_t i = 0; i < spec_.right_width; ++i) out.row.values.push_back(right ? right->values[i] : Value());
  out.row.rowtime = ts;
  out.row.headers = trigger_headers_;
  if (left && left->window) out.row.window = left->window;
  else if (right && right->window) out.row.window = right->window;
  next->Push(std::move(out));
}

void JoinOperator::EmitDelete(const Value& key, int64_t ts) {
  Change out;
  out.tombstone = true;
  out.row.values.assign(1 + spec_.left_width + spec_.right_width, Value());
  out.row.values[0] = key;
  out.row.rowtime = ts;
  out.row.headers = trigger_headers_;
  next->Push(std::move(out));
}

void JoinOperator::FlushClosedOuter(int64_t until) {
  if (!spec_.grace_ms) return;
  for (int side = 0; side < 2; ++side) {
    if (!IsOuter(side)) continue;
    buffers_[side].TakeClosedOuter(until, [&](const JoinWindowBuffer::Buffered& b) {
      Value key = (side == 0 ? spec_.left_key : spec_.right_key)->Eval(b.row, ctx->eval);
      EmitJoined(key, side == 0 ? &b.row : nullptr, side == 1 ? &b.row : nullptr, b.row.rowtime);
    });
  }
}

void JoinOperator::StreamStream(int side, Change& c, const Value& key) {
  const Row& row = c.row;
  int64_t ts = row.rowtime;
  bool first_advance = ts > stream_time_;
  if (first_advance) stream_time_ = ts;
  FlushClosedOuter(stream_time_);
  // After the flush: a row waiting as an outer row has waited less than its retention.
  buffers_[0].Expire(stream_time_);
  buffers_[1].Expire(stream_time_);
  int other = 1 - side;
  std::string k = KeyOf({key}, 0, 1);
  // This row's window over the other side: left.ts - before <= right.ts <= left.ts + after.
  int64_t lo = side == 0 ? ts - spec_.before_ms : ts - spec_.after_ms;
  int64_t hi = side == 0 ? ts + spec_.after_ms : ts + spec_.before_ms;
  bool matched = false;
  if (auto* rows = buffers_[other].Find(k)) {
    for (auto& b : *rows) {
      if (b.row.rowtime < lo || b.row.rowtime > hi) continue;
      matched = true;
      b.matched = true;
      b.pending_outer = false;
      int64_t out_ts = std::max(ts, b.row.rowtime);
      if (side == 0) EmitJoined(key, &row, &b.row, out_ts);
      else EmitJoined(key, &b.row, &row, out_ts);
    }
  }
  int64_t grace = spec_.grace_ms.value_or(kDefaultGraceMs);
  int64_t window_after = side == 0 ? spec_.after_ms : spec_.before_ms;
  bool late = ts + window_after + grace < stream_time_;
  if (!matched && IsOuter(side)) {
    // Old semantics (no GRACE): emit the outer row now. GRACE: wait for the window to close unless it already has.
    if (!spec_.grace_ms || late) {
      if (side == 0) EmitJoined(key, &row, nullptr, ts);
      else EmitJoined(key, nullptr, &row, ts);
    }
  }
  if (late) return;
  JoinWindowBuffer::Buffered b;
  b.row = row;
  b.matched = matched;
  b.pending_outer = !matched && IsOuter(side) && spec_.grace_ms.has_value();
  buffers_[side].Add(k, std::move(b));
}

void JoinOperator::StreamTable(int side, Change& c, const Value& key) {
  std::string k = KeyOf({key}, 0, 1);
  if (side == 1) {  // table side: remember, emit nothing
    if (c.tombstone) tables_[1].erase(k);
    else tables_[1][k] = c.row;
    return;
  }
  if (c.tombstone) return;  // a stream record without a value joins nothing (Kafka Streams skips it)
  auto it = tables_[1].find(k);
  if (it != tables_[1].end()) EmitJoined(key, &c.row, &it->second, c.row.rowtime);
  else if (spec_.type == JoinType::kLeft) EmitJoined(key, &c.row, nullptr, c.row.rowtime);
}

void JoinOperator::TableTable(int side, Change& c, const Value& key) {
  std::string k = KeyOf({key}, 0, 1);
  if (c.tombstone) tables_[side].erase(k);
  else tables_[side][k] = c.row;
  auto l = tables_[0].find(k);
  auto r = tables_[1].find(k);
  const Row* left = l == tables_[0].end() ? nullptr : &l->second;
  const Row* right = r == tables_[1].end() ? nullptr : &r->second;
  bool present = spec_.type == JoinType::kInner ? (left && right)
               : spec_.type == JoinType::kLeft  ? left != nullptr
               : spec_.type == JoinType::kRight ? right != nullptr
                                                : (left || right);
  int64_t ts = c.row.rowtime;
  if (present) {
    emitted_[k] = true;
    EmitJoined(key, left, right, ts);
  } else if (emitted_[k]) {
    emitted_[k] = false;
    EmitDelete(key, ts);
  }
}

void JoinOperator::ForeignKey(int side, Change& c) {
  // Left rows are keyed by their own primary key (slot 0); they join the right row whose key is left_key.
  if (side == 0) {
    std::string pk = KeyOf(c.row.values, 0, 1);
    Value key0 = c.row.values.empty() ? Value() : c.row.values[0];
    if (c.tombstone) {
      bool had = fk_left_.erase(pk) > 0;
      if (had || emitted_[pk]) {
        emitted_[pk] = false;
        EmitDelete(key0, c.row.rowtime);
      }
      return;
    }
    fk_left_[pk] = c.row;
    Value fk = spec_.left_key->Eval(c.row, ctx->eval);
    auto r = fk.is_null() ? tables_[1].end() : tables_[1].find(KeyOf({fk}, 0, 1));
    const Row* right = r == tables_[1].end() ? nullptr : &r->second;
    if (right || spec_.type == JoinType::kLeft) {
      emitted_[pk] = true;
      EmitJoined(key0, &c.row, right, right ? std::max(c.row.rowtime, right->rowtime) : c.row.rowtime);
    } else if (emitted_[pk]) {
      emitted_[pk] = false;
      EmitDelete(key0, c.row.rowtime);
    }
    return;
  }
  Value rkey = spec_.right_key->Eval(c.row, ctx->eval);
  std::string rk = KeyOf({rkey}, 0, 1);
  if (c.tombstone) tables_[1].erase(rk);
  else tables_[1][rk] = c.row;
  const Row* right = c.tombstone ? nullptr : &tables_[1][rk];
  for (auto& [pk, lrow] : fk_left_) {
    Value fk = spec_.left_key->Eval(lrow, ctx->eval);
    if (fk.is_null() || KeyOf({fk}, 0, 1) != rk) continue;
    Value key0 = lrow.values[0];
    if (right || spec_.type == JoinType::kLeft) {
      emitted_[pk] = true;
      EmitJoined(key0, &lrow, right, std::max(lrow.rowtime, c.row.rowtime));
    } else if (emitted_[pk]) {
      emitted_[pk] = false;
      EmitDelete(key0, c.row.rowtime);
    }
  }
}

void JoinOperator::PushSide(int side, Change change) {
  if (!repartition_) return Join(side, std::move(change));
  Value key = (side == 0 ? spec_.left_key : spec_.right_key)->Eval(change.row, ctx->eval);
  ctx->FlushEvalErrors();
  repartition_(side, KeyOf({key}, 0, 1), change);
}

void JoinOperator::Join(int side, Change change) {
  trigger_headers_ = change.row.headers;
  if (spec_.foreign_key) {
    ForeignKey(side, change);
    return;
  }
  bool left_table = spec_.left_is_table, right_table = spec_.right_is_table;
  // A table side joins on its primary key (or a column equal to it: a key alias after an earlier join), which is
  // slot 0. A delete holds only its key there, the aliases are NULL: an earlier join's delete (EmitDelete) has them
  // NULL, so the key is read from slot 0 rather than through the join expression.
  bool table_side = side == 0 ? left_table : right_table;
  Value key = change.tombstone && table_side && !change.row.values.empty()
                  ? change.row.values[0]
                  : (side == 0 ? spec_.left_key : spec_.right_key)->Eval(change.row, ctx->eval);
  ctx->FlushEvalErrors();
  if (key.is_null()) {
    // Rows without a join key never match; outer stream rows still pass through.
    if (!change.tombstone && !left_table && !right_table && IsOuter(side) && !spec_.grace_ms) {
      if (side == 0) EmitJoined(key, &change.row, nullptr, change.row.rowtime);
      else EmitJoined(key, nullptr, &change.row, change.row.rowtime);
    } else if (!change.tombstone && side == 0 && !left_table && right_table && spec_.type == JoinType::kLeft) {
      EmitJoined(key, &change.row, nullptr, change.row.rowtime);
    }
    return;
  }
  if (!left_table && !right_table) {
    if (!change.tombstone) StreamStream(side, change, key);
  } else if (!left_table && right_table) {
    StreamTable(side, change, key);
  } else {
    TableTable(side, change, key);
  }
}

void JoinOperator::Advance(int64_t stream_time) {
  if (next) next->Advance(stream_time);
}

// No row can come to match an outer row still waiting for its window to close: it comes out alone now. Called
// once per side; the second call finds nothing waiting.
void JoinOperator::EndOfInput() {
  FlushClosedOuter(INT64_MAX);
  if (next) next->EndOfInput();
}

Value JoinOperator::SaveState() const {
  Array buffers, tables, emitted;
  for (const auto& side : buffers_) buffers.push_back(side.Save());
  for (const auto& side : tables_) tables.push_back(RowsByKeyState(side));
  for (const auto& [key, exists] : emitted_) emitted.push_back(Value(Array{Value(Bytes{key}), Value(exists)}));
  return Value(Array{Value(std::move(buffers)), Value(std::move(tables)), Value(std::move(emitted)), RowsByKeyState(fk_left_),
                     Value(stream_time_)});
}

void JoinOperator::RestoreState(const Value& state) {
  const Array& s = state.as_array();
  for (int side = 0; side < 2; ++side) {
    buffers_[side].Restore(s.at(0).as_array().at(side));
    RestoreRowsByKey(s.at(1).as_array().at(side), tables_[side]);
  }
  emitted_.clear();
  for (const auto& e : s.at(2).as_array()) emitted_[e.as_array().at(0).as_bytes().data] = e.as_array().at(1).as_bool();
  RestoreRowsByKey(s.at(3), fk_left_);
  stream_time_ = s.at(4).as_int();
}

}  // namespace pipeline::sql
