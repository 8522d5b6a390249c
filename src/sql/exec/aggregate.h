// GROUP BY aggregation over a stream or a table, optionally windowed (TUMBLING, HOPPING, SESSION). Output rows
// are [group key values..., aggregate results...] with the window in Row::window. Tables retract the previous
// row of a key (Accumulator::Undo) before adding the new one. Records later than the grace period are dropped
// and counted; EMIT FINAL holds each window's result until stream time passes its end plus grace. A TUMBLING or
// HOPPING window's state is dropped once it closes: later records for it are dropped as late, and no query reads
// the state back (so RETENTION changes nothing here). A session is kept while a late record may still merge it, and
// dropped once its end falls behind stream time by the retention (RETENTION, else gap + grace, as Kafka Streams'
// session store keeps them). At the end of finite input (EndOfInput) every open window closes at once.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "sql/exec/expression.h"
#include "sql/exec/operator.h"
#include "sql/functions/aggregate_function.h"
#include "sql/parser/ast.h"

namespace pipeline::sql {

struct AggregateCall {
  BoundAggregate fn;
  std::vector<BoundExprPtr> args;  // evaluated per row (COUNT(*) has none)
};

struct WindowConfig {
  WindowType type = WindowType::kNone;
  int64_t size_ms = 0;
  int64_t advance_ms = 0;
  int64_t grace_ms = 24 * 3600 * 1000LL;  // ksqlDB's default grace period
  std::optional<int64_t> retention_ms;
};

class AggregateOperator final : public Operator {
 public:
  AggregateOperator(std::vector<BoundExprPtr> group_by, std::vector<AggregateCall> calls, WindowConfig window, bool emit_final);
  void Push(Change change) override;
  void Advance(int64_t stream_time) override;
  void EndOfInput() override;
  // Scale-out (Engine::SetRepartition), as ksqlDB's GROUP BY repartition topic: the changes this operator gets are
  // handed to `fn` with their encoded group key instead of being aggregated here, and come back, in the process
  // that owns the key's partition, through Aggregate. A table change that moves a row to another group is split
  // into a retraction for the old key and an insert for the new one, as their groups may live in two processes.
  using RepartitionFn = std::function<void(const std::string& group_key, const Change& change)>;
  void RepartitionTo(RepartitionFn fn) { repartition_ = std::move(fn); }
  void Aggregate(Change change);
  bool HasState() const override { return true; }  // empty in a front engine, whose changes all repartition
  Value SaveState() const override;
  void RestoreState(const Value& state) override;
  int64_t late_records() const override { return late_records_; }

 private:
  struct Group {
    std::vector<Value> keys;
    std::vector<std::unique_ptr<Accumulator>> accs;
    WindowBounds window;
    int64_t rowtime = 0;
    RowHeaders headers;  // of the last record that changed the group: its results carry them, as in Kafka Streams
    bool pending_final = false;
  };

  bool EvalKeys(const Row& row, std::vector<Value>& keys);
  void Repartition(Change change);
  const std::vector<std::vector<Value>>& EvalArgs(const Row& row);
  Group& FindOrCreate(const std::string& id, const std::vector<Value>& keys, const WindowBounds& w);
  void Apply(Group& g, const std::vector<std::vector<Value>>& args, bool undo);
  void Emit(const Group& g, bool tombstone, int64_t rowtime);
  void AddStreamRow(const Row& row);
  void AddSessionRow(const Row& row, const std::vector<Value>& keys, const std::vector<std::vector<Value>>& args);
  void WindowsFor(int64_t ts, std::vector<WindowBounds>& out) const;
  int64_t CloseTime() const;
  void Unindex(int64_t end, const std::string& id);
  void RetireSessions();
  std::vector<std::string> TakeClosed();
  void EmitFinal(const std::vector<std::string>& ids);

  std::vector<BoundExprPtr> group_by_;
  std::vector<AggregateCall> calls_;
  WindowConfig window_;
  bool emit_final_;
  std::unordered_map<std::string, Group> groups_;
  std::map<std::string, std::vector<std::string>> sessions_;  // group key -> ids of its sessions
  // Window end -> group id, so Advance visits only the windows that close: every TUMBLING/HOPPING group, and the
  // sessions awaiting their EMIT FINAL result. Same-end ids stay in creation order (a deterministic tie-break).
  std::multimap<int64_t, std::string> by_end_;
  std::multimap<int64_t, std::string> session_ends_;  // every session by its end, for retention
  int64_t stream_time_ = INT64_MIN;
  int64_t late_records_ = 0;
  // Scratch space reused for every row, so the per-row path does not allocate: group keys, call arguments, the
  // encoded key, a window's group id and the windows a row falls in.
  std::vector<Value> keys_;
  std::vector<std::vector<Value>> args_;
  std::string base_, id_;
  std::vector<WindowBounds> windows_;
  RepartitionFn repartition_;
};

}  // namespace pipeline::sql
