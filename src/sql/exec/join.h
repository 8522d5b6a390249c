// Joins, keyed on the join expression of each side. Output rows are [join key, left values..., right values...]
// (a side without a match contributes NULLs). Kinds:
//   stream-stream: both sides buffered for WITHIN; outer rows without a match are emitted at once (no GRACE
//                  given, ksqlDB's old semantics) or when the window closes (GRACE PERIOD given);
//   stream-table:  the table side is kept per key; stream rows look it up;
//   table-table:   both sides kept per key; a change on either side re-emits the key's result (or deletes it).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "sql/exec/expression.h"
#include "sql/exec/join_window_buffer.h"
#include "sql/exec/operator.h"
#include "sql/parser/ast.h"

namespace pipeline::sql {

struct JoinSpec {
  JoinType type = JoinType::kInner;
  bool left_is_table = false;
  bool right_is_table = false;
  size_t left_width = 0;
  size_t right_width = 0;
  BoundExprPtr left_key;   // bound against the left row layout
  BoundExprPtr right_key;  // bound against the right row layout
  int64_t before_ms = 0;   // stream-stream WITHIN
  int64_t after_ms = 0;
  std::optional<int64_t> grace_ms;
  // Foreign-key table-table join: left_key reads a non-key column of the left table.
  bool foreign_key = false;
};

class JoinOperator final : public Operator {
 public:
  explicit JoinOperator(JoinSpec spec);
  void Push(Change change) override { PushSide(0, std::move(change)); }
  void PushSide(int side, Change change);
  void Advance(int64_t stream_time) override;
  void EndOfInput() override;
  // Scale-out (Engine::SetRepartition), as ksqlDB repartitions a join's sides by the join key: the changes either
  // side gets are handed to `fn` with their encoded join key instead of being joined here, and come back, in the
  // process that owns the key's partition, through Join. Both sides go through the same topic, so they meet in the
  // same partition whatever the partitioning of their inputs.
  using RepartitionFn = std::function<void(int side, const std::string& join_key, const Change& change)>;
  void RepartitionTo(RepartitionFn fn) { repartition_ = std::move(fn); }
  void Join(int side, Change change);
  bool foreign_key() const { return spec_.foreign_key; }
  bool HasState() const override { return true; }
  Value SaveState() const override;
  void RestoreState(const Value& state) override;
  Operator* port(int side) { return side == 0 ? &left_port_ : &right_port_; }

 private:
  class Port final : public Operator {
   public:
    Port(JoinOperator* join, int side) : join_(join), side_(side) {}
    void Push(Change c) override { join_->PushSide(side_, std::move(c)); }
    void Advance(int64_t t) override { join_->Advance(t); }
    void EndOfInput() override { join_->EndOfInput(); }

   private:
    JoinOperator* join_;
    int side_;
  };

  void EmitJoined(const Value& key, const Row* left, const Row* right, int64_t ts);
  void EmitDelete(const Value& key, int64_t ts);
  void StreamStream(int side, Change& c, const Value& key);
  void StreamTable(int side, Change& c, const Value& key);
  void TableTable(int side, Change& c, const Value& key);
  void ForeignKey(int side, Change& c);
  void FlushClosedOuter(int64_t until);
  bool IsOuter(int side) const;

  JoinSpec spec_;
  Port left_port_{this, 0};
  Port right_port_{this, 1};
  // stream-stream buffers: per side, key -> rows in arrival order, expired by stream time
  JoinWindowBuffer buffers_[2];
  // tables: per side, key -> latest row
  std::unordered_map<std::string, Row> tables_[2];
  std::unordered_map<std::string, bool> emitted_;  // table-table: a result exists for the key
  std::map<std::string, Row> fk_left_;  // foreign-key join: left primary key -> left row
  int64_t stream_time_ = INT64_MIN;
  // Headers of the record being pushed: every result it causes carries them, whichever side they join with
  // (Kafka Streams forwards joins with the current record's context).
  RowHeaders trigger_headers_;
  RepartitionFn repartition_;
};

}  // namespace pipeline::sql
