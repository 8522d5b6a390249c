// Streaming operators. A persistent query is a chain (a small DAG for joins) of operators; each receives
// changes from upstream and pushes its own to `next`. Single-threaded: one Engine per stage thread.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sql/engine_options.h"
#include "sql/exec/row.h"
#include "sql/functions/scalar_function.h"

namespace pipeline::sql {

// One row flowing through a query. Streams carry inserts only; tables carry upserts and deletes, and the
// previous row of the key when it is known (aggregations over tables retract it).
struct Change {
  Row row;                 // for a delete: key slots hold the key, the rest is NULL
  bool tombstone = false;
  std::optional<Row> old;  // tables: the row this change replaces
};

class SinkWriter;

// A row a query wrote as the record out[index]. The record's key and value are encoded only after the queries
// chained to its topic have taken the row as it is (Engine::FeedChained), so that the row is not encoded and
// decoded again in between, and the encoding can take its values instead of copying them.
struct WrittenRow {
  size_t index = 0;
  Row row;
  bool tombstone = false;
  SinkWriter* writer = nullptr;
  bool encoded = false;  // out[index] already has its key and value
  bool superseded = false;  // a later change of the same table key in this batch replaces it (the record cache)
};

// The input record being pushed (its index in the Engine::PushAll call; -1 between pushes), and those dropped
// because of an error so far in the call (Engine::dropped_inputs).
struct InputDrops {
  int64_t current = -1;
  std::vector<DroppedInput> dropped;
};

// Per-query run-time state shared by its operators.
struct QueryContext {
  EvalContext eval;
  std::vector<std::string>* processing_errors = nullptr;
  InputDrops* drops = nullptr;
  std::vector<Emitted>* out = nullptr;
  std::vector<WrittenRow>* written = nullptr;  // rows of `out` not yet encoded; null: encode at once
  std::string query_name;
  // Table sinks pass on only the last change per key of each pushed batch to the caller (Kafka Streams' record
  // cache); the queries reading them still see every change.
  bool coalesce_table_changes = false;
  // Reports a processing error for one record (ksqlDB logs it and goes on).
  void ReportError(const std::string& message) {
    if (processing_errors) processing_errors->push_back(query_name + ": " + message);
  }
  // Reports a processing error that drops the record at hand, and notes the input record that caused it, so
  // that the stage can apply its on_error to it.
  void ReportDropped(const std::string& message) {
    ReportError(message);
    if (drops && drops->current >= 0 && processing_errors)
      drops->dropped.push_back({static_cast<size_t>(drops->current), processing_errors->back()});
  }
  // Checks ctx.eval after evaluating expressions for one row and reports what it recorded.
  void FlushEvalErrors() {
    if (eval.errors) {
      ReportError(eval.last_error);
      eval.errors = 0;
      eval.last_error.clear();
    }
  }
};

class Operator {
 public:
  virtual ~Operator() = default;
  virtual void Push(Change change) = 0;
  // Stream time moved forward (EMIT FINAL, window close); default: pass on.
  virtual void Advance(int64_t stream_time) { if (next) next->Advance(stream_time); }
  // Every input ended for good (Engine::EndOfInput): close what waits for stream time (windows, outer join rows)
  // and emit it, then pass on; default: pass on.
  virtual void EndOfInput() { if (next) next->EndOfInput(); }
  // State for snapshots (Engine::SaveState): an operator that keeps state between records gives it as one Value
  // and takes it back into a freshly planned operator of the same query.
  virtual bool HasState() const { return false; }
  virtual Value SaveState() const { return {}; }
  virtual void RestoreState(const Value& state) { (void)state; }
  // Records dropped for arriving after their window's grace period.
  virtual int64_t late_records() const { return 0; }
  Operator* next = nullptr;
  QueryContext* ctx = nullptr;
};

using OperatorPtr = std::unique_ptr<Operator>;

}  // namespace pipeline::sql
