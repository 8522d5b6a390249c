#include "sql/exec/aggregate.h"

#include <algorithm>

#include "sql/exec/row_key.h"
#include "sql/exec/row_state.h"

namespace pipeline::sql {

AggregateOperator::AggregateOperator(std::vector<BoundExprPtr> group_by, std::vector<AggregateCall> calls,
                                     WindowConfig window, bool emit_final)
    : group_by_(std::move(group_by)), calls_(std::move(calls)), window_(window), emit_final_(emit_final) {}

bool AggregateOperator::EvalKeys(const Row& row, std::vector<Value>& keys) {
  keys.clear();
  for (const auto& g : group_by_) {
    keys.push_back(g->Eval(row, ctx->eval));
    if (keys.back().is_null()) {
      ctx->FlushEvalErrors();
      ctx->ReportDropped("GROUP BY expression evaluated to NULL: the record is dropped");
      return false;
    }
  }
  ctx->FlushEvalErrors();
  return true;
}

// The arguments of every aggregate call for one row, in scratch space reused from row to row (valid until the
// next call).
const std::vector<std::vector<Value>>& AggregateOperator::EvalArgs(const Row& row) {
  args_.resize(calls_.size());
  for (size_t i = 0; i < calls_.size(); ++i) {
    args_[i].clear();
    for (const auto& a : calls_[i].args) args_[i].push_back(a->Eval(row, ctx->eval));
  }
  ctx->FlushEvalErrors();
  return args_;
}

AggregateOperator::Group& AggregateOperator::FindOrCreate(const std::string& id, const std::vector<Value>& keys,
                                                          const WindowBounds& w) {
  auto it = groups_.find(id);
  if (it != groups_.end()) return it->second;
  Group& g = groups_[id];
  g.keys = keys;
  g.window = w;
  g.rowtime = INT64_MIN;
  for (const auto& c : calls_) g.accs.push_back(c.fn.make());
  if (window_.type != WindowType::kNone) by_end_.emplace(w.end, id);
  return g;
}

void AggregateOperator::Apply(Group& g, const std::vector<std::vector<Value>>& args, bool undo) {
  for (size_t i = 0; i < calls_.size(); ++i) {
    if (undo) g.accs[i]->Undo(args[i]);
    else g.accs[i]->Add(args[i]);
  }
}

void AggregateOperator::Emit(const Group& g, bool tombstone, int64_t rowtime) {
  Change c;
  c.tombstone = tombstone;
  c.row.values = g.keys;
  c.row.values.reserve(g.keys.size() + g.accs.size());
  for (const auto& a : g.accs) c.row.values.push_back(tombstone ? Value() : a->Result());
  c.row.rowtime = rowtime;
  c.row.headers = g.headers;
  if (window_.type != WindowType::kNone) c.row.window = g.window;
  next->Push(std::move(c));
}

void AggregateOperator::WindowsFor(int64_t ts, std::vector<WindowBounds>& out) const {
  out.clear();
  if (window_.type == WindowType::kTumbling) {
    int64_t start = ts - ((ts % window_.size_ms) + window_.size_ms) % window_.size_ms;
    out.push_back({start, start + window_.size_ms, false});
  } else if (window_.type == WindowType::kHopping) {
    int64_t adv = window_.advance_ms;
    int64_t last = ts - ((ts % adv) + adv) % adv;
    // Latest window first, then reversed in place: `out` is reused scratch, so this does not allocate.
    for (int64_t start = last; start > ts - window_.size_ms; start -= adv)
      if (start >= 0) out.push_back({start, start + window_.size_ms, false});
    std::reverse(out.begin(), out.end());
  }
}

// A time window ending at or before this (a session: before it) is closed; its late records are dropped.
// Saturates, as stream time starts at INT64_MIN.
int64_t AggregateOperator::CloseTime() const {
  if (stream_time_ < INT64_MIN + window_.grace_ms) return INT64_MIN;
  return stream_time_ - window_.grace_ms;
}

namespace {

void RemoveFrom(std::multimap<int64_t, std::string>& index, int64_t end, const std::string& id) {
  auto [first, last] = index.equal_range(end);
  for (auto it = first; it != last; ++it)
    if (it->second == id) {
      index.erase(it);
      return;
    }
}

}  // namespace

void AggregateOperator::Unindex(int64_t end, const std::string& id) { RemoveFrom(by_end_, end, id); }

// Drops the sessions that ended longer ago than the retention: no record can reach them any more in Kafka Streams,
// whose session store has let go of them by then.
void AggregateOperator::RetireSessions() {
  int64_t retention = window_.retention_ms.value_or(window_.size_ms + window_.grace_ms);
  if (stream_time_ < INT64_MIN + retention) return;
  int64_t horizon = stream_time_ - retention;
  for (auto it = session_ends_.begin(); it != session_ends_.end() && it->first < horizon;) {
    auto group = groups_.find(it->second);
    // Retention exceeds grace, so EMIT FINAL has emitted such a session already; should it not have, it stays.
    if (group != groups_.end() && emit_final_ && group->second.pending_final) {
      ++it;
      continue;
    }
    if (group != groups_.end()) {
      auto key = sessions_.find(group->first.substr(0, group->first.rfind('@')));  // the id is key@start
      if (key != sessions_.end()) {
        std::erase(key->second, it->second);
        if (key->second.empty()) sessions_.erase(key);
      }
      groups_.erase(group);
    }
    it = session_ends_.erase(it);
  }
}

void AggregateOperator::AddSessionRow(const Row& row, const std::vector<Value>& keys,
                                      const std::vector<std::vector<Value>>& args) {
  int64_t ts = row.rowtime;
  int64_t gap = window_.size_ms;
  std::string base = KeyOf(keys, 0, keys.size());
  auto& ids = sessions_[base];
  std::vector<std::string> merged;
  WindowBounds w{ts, ts, true};
  for (const auto& id : ids) {
    const Group& s = groups_[id];
    if (s.window.end + gap >= ts && s.window.start - gap <= ts) {
      merged.push_back(id);
      w.start = std::min(w.start, s.window.start);
      w.end = std::max(w.end, s.window.end);
    }
  }
  if (w.end < CloseTime()) {
    ++late_records_;
    ctx->ReportError("record is later than the grace period of its session window: dropped");
    return;
  }
  std::string id = base + "@" + std::to_string(w.start);
  Group fresh;
  fresh.keys = keys;
  fresh.window = w;
  fresh.rowtime = ts;
  fresh.headers = row.headers;
  for (const auto& c : calls_) fresh.accs.push_back(c.fn.make());
  for (const auto& m : merged) {
    Group& old = groups_[m];
    for (size_t i = 0; i < calls_.size(); ++i) fresh.accs[i]->Merge(*old.accs[i]);
    fresh.rowtime = std::max(fresh.rowtime, old.rowtime);
    if (!emit_final_) Emit(old, true, old.window.end);
    Unindex(old.window.end, m);
    RemoveFrom(session_ends_, old.window.end, m);
    groups_.erase(m);
    ids.erase(std::find(ids.begin(), ids.end(), m));
  }
  Apply(fresh, args, false);
  fresh.pending_final = true;
  Group& g = groups_[id] = std::move(fresh);
  ids.push_back(id);
  session_ends_.emplace(w.end, id);
  if (emit_final_) by_end_.emplace(w.end, id);
  else Emit(g, false, g.window.end);
}

void AggregateOperator::AddStreamRow(const Row& row) {
  std::vector<Value>& keys = keys_;
  if (!EvalKeys(row, keys)) return;
  const auto& args = EvalArgs(row);
  if (window_.type == WindowType::kSession) {
    AddSessionRow(row, keys, args);
    return;
  }
  std::string& base = base_;
  base.clear();
  AppendKeyOf(keys, 0, keys.size(), base);
  if (window_.type == WindowType::kNone) {
    Group& g = FindOrCreate(base, keys, {});
    Apply(g, args, false);
    g.rowtime = std::max(g.rowtime, row.rowtime);
    g.headers = row.headers;
    Emit(g, false, g.rowtime);
    return;
  }
  int64_t close_time = CloseTime();
  bool any = false;
  WindowsFor(row.rowtime, windows_);
  for (const auto& w : windows_) {
    if (w.end <= close_time) continue;
    any = true;
    id_.assign(base);
    id_ += '@';
    id_ += std::to_string(w.start);
    Group& g = FindOrCreate(id_, keys, w);
    Apply(g, args, false);
    g.rowtime = std::max(g.rowtime, row.rowtime);
    g.headers = row.headers;
    g.pending_final = true;
    if (!emit_final_) Emit(g, false, g.rowtime);
  }
  if (!any) {
    ++late_records_;
    ctx->ReportError("record is later than the grace period of its window: dropped");
  }
}

void AggregateOperator::Push(Change change) {
  if (repartition_) Repartition(std::move(change));
  else Aggregate(std::move(change));
}

void AggregateOperator::Repartition(Change change) {
  std::vector<Value> keys;
  if (change.old) {
    std::vector<Value> old_keys;
    if (!EvalKeys(*change.old, old_keys)) return;
    std::string old_key = KeyOf(old_keys, 0, old_keys.size());
    bool same_group = !change.tombstone && EvalKeys(change.row, keys) && KeyOf(keys, 0, keys.size()) == old_key;
    if (same_group || change.tombstone) {
      repartition_(old_key, change);
      return;
    }
    Change retraction;
    retraction.row = change.row;  // its time and headers: the groups' result carries them
    retraction.old = std::move(change.old);
    retraction.tombstone = true;
    repartition_(old_key, retraction);
    change.old.reset();
  }
  if (change.tombstone || !EvalKeys(change.row, keys)) return;  // a delete of a row never seen changes no group
  repartition_(KeyOf(keys, 0, keys.size()), change);
}

void AggregateOperator::Aggregate(Change change) {
  if (change.row.rowtime > stream_time_) stream_time_ = change.row.rowtime;
  if (change.old && !change.tombstone && window_.type == WindowType::kNone) {
    // An update that stays in its group: retract and add, then emit once (as Kafka Streams does).
    std::vector<Value> old_keys, new_keys;
    if (EvalKeys(*change.old, old_keys) && EvalKeys(change.row, new_keys) &&
        KeyOf(old_keys, 0, old_keys.size()) == KeyOf(new_keys, 0, new_keys.size())) {
      auto it = groups_.find(KeyOf(old_keys, 0, old_keys.size()));
      if (it != groups_.end()) {
        Apply(it->second, EvalArgs(*change.old), true);
        Apply(it->second, EvalArgs(change.row), false);
        it->second.rowtime = std::max(it->second.rowtime, change.row.rowtime);
        it->second.headers = change.row.headers;
        Emit(it->second, false, it->second.rowtime);
        return;
      }
    }
  }
  if (change.old) {
    // Table source: retract the previous row of this key from its group.
    std::vector<Value> keys;
    if (EvalKeys(*change.old, keys)) {
      auto args = EvalArgs(*change.old);
      auto it = groups_.find(KeyOf(keys, 0, keys.size()));
      if (it != groups_.end()) {
        Apply(it->second, args, true);
        it->second.rowtime = std::max(it->second.rowtime, change.row.rowtime);
        it->second.headers = change.row.headers;
        Emit(it->second, false, it->second.rowtime);
      }
    }
  }
  if (!change.tombstone) AddStreamRow(change.row);
}

// Takes out of by_end_ the windows that closed by stream time, in index order.
std::vector<std::string> AggregateOperator::TakeClosed() {
  int64_t close_time = CloseTime();
  // A session ending exactly at the close time can still grow: AddSessionRow drops only ends before it.
  auto stop = window_.type == WindowType::kSession ? by_end_.lower_bound(close_time) : by_end_.upper_bound(close_time);
  std::vector<std::string> ids;
  for (auto it = by_end_.begin(); it != stop; ++it) ids.push_back(std::move(it->second));
  by_end_.erase(by_end_.begin(), stop);
  return ids;
}

void AggregateOperator::EmitFinal(const std::vector<std::string>& ids) {
  std::vector<Group*> ready;
  for (const auto& id : ids) {
    auto it = groups_.find(id);
    if (it != groups_.end() && it->second.pending_final) ready.push_back(&it->second);
  }
  std::stable_sort(ready.begin(), ready.end(), [](const Group* a, const Group* b) {
    return a->window.start != b->window.start ? a->window.start < b->window.start : a->rowtime < b->rowtime;
  });
  for (Group* g : ready) {
    g->pending_final = false;
    Emit(*g, false, g->rowtime);
  }
}

void AggregateOperator::Advance(int64_t stream_time) {
  if (stream_time > stream_time_) stream_time_ = stream_time;
  if (window_.type == WindowType::kNone) return;
  std::vector<std::string> closed = TakeClosed();
  if (emit_final_) EmitFinal(closed);
  // A closed time window can no longer change (AddStreamRow drops its records as late): free its state. A closed
  // session stays, as a late record within the gap of a live session may still merge it.
  if (window_.type != WindowType::kSession)
    for (const auto& id : closed) groups_.erase(id);
  else
    RetireSessions();
}

// The end of bounded input, as Flink treats it (a final watermark): every open window closes now and EMIT FINAL
// gives its result, in window order. Stream time moves to the last closed window's end plus grace, so the windows
// stay closed: a record for one of them in a later run (the file grew) is late, as an emitted final result is final.
void AggregateOperator::EndOfInput() {
  if (window_.type != WindowType::kNone && !by_end_.empty()) {
    int64_t last_end = by_end_.rbegin()->first;
    if (last_end > INT64_MAX - window_.grace_ms) stream_time_ = INT64_MAX;
    else stream_time_ = std::max(stream_time_, last_end + window_.grace_ms);
    std::vector<std::string> open;
    open.reserve(by_end_.size());
    for (auto& [end, id] : by_end_) open.push_back(std::move(id));
    by_end_.clear();
    if (emit_final_) EmitFinal(open);
    if (window_.type != WindowType::kSession) {
      for (const auto& id : open) groups_.erase(id);
    } else {
      groups_.clear();  // no late record can merge a session any more
      sessions_.clear();
      session_ends_.clear();
    }
  }
  if (next) next->EndOfInput();
}

// Groups keep their accumulators' own saved form; the window-end index and the sessions are saved in their order,
// so a restored operator closes and merges windows exactly as the one that was saved.
Value AggregateOperator::SaveState() const {
  Array groups, sessions, by_end;
  groups.reserve(groups_.size());
  for (const auto& [id, g] : groups_) {
    Array accs;
    for (const auto& a : g.accs) accs.push_back(a->Save());
    groups.push_back(Value(Array{Value(Bytes{id}), Value(g.keys), Value(std::move(accs)), WindowState(g.window),
                                 Value(g.rowtime), Value(g.pending_final), HeadersState(g.headers)}));
  }
  for (const auto& [base, ids] : sessions_) {
    Array id_values;
    for (const auto& id : ids) id_values.push_back(Value(Bytes{id}));
    sessions.push_back(Value(Array{Value(Bytes{base}), Value(std::move(id_values))}));
  }
  for (const auto& [end, id] : by_end_) by_end.push_back(Value(Array{Value(end), Value(Bytes{id})}));
  return Value(Array{Value(std::move(groups)), Value(std::move(sessions)), Value(std::move(by_end)), Value(stream_time_),
                     Value(late_records_)});
}

void AggregateOperator::RestoreState(const Value& state) {
  const Array& s = state.as_array();
  groups_.clear();
  for (const auto& entry : s.at(0).as_array()) {
    const Array& e = entry.as_array();
    Group& g = groups_[e.at(0).as_bytes().data];
    g.keys = e.at(1).as_array();
    const Array& saved = e.at(2).as_array();
    for (size_t i = 0; i < calls_.size(); ++i) {
      g.accs.push_back(calls_[i].fn.make());
      g.accs.back()->Restore(saved.at(i));
    }
    g.window = WindowFromState(e.at(3)).value_or(WindowBounds{});
    g.rowtime = e.at(4).as_int();
    g.pending_final = e.at(5).as_bool();
    if (e.size() > 6) g.headers = HeadersFromState(e[6]);  // snapshots from before groups kept headers have 6
  }
  sessions_.clear();
  for (const auto& entry : s.at(1).as_array()) {
    auto& ids = sessions_[entry.as_array().at(0).as_bytes().data];
    for (const auto& id : entry.as_array().at(1).as_array()) ids.push_back(id.as_bytes().data);
  }
  by_end_.clear();
  for (const auto& entry : s.at(2).as_array())
    by_end_.emplace(entry.as_array().at(0).as_int(), entry.as_array().at(1).as_bytes().data);
  session_ends_.clear();
  if (window_.type == WindowType::kSession)
    for (const auto& [id, g] : groups_) session_ends_.emplace(g.window.end, id);
  stream_time_ = s.at(3).as_int();
  late_records_ = s.at(4).as_int();
}

}  // namespace pipeline::sql
