// The SQL engine's public face: statements in, records in, records out. Used by the `sql` pipeline stage,
// by `pipe test` and by the conformance runner. Single-threaded: one Engine per stage thread.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/field_demand.h"
#include "core/record.h"
#include "core/result.h"
#include "sql/engine_options.h"

namespace pipeline::sql {

// A topic (stream) the engine writes, as seen by callers.
struct OutputTopic {
  std::string topic;         // KAFKA_TOPIC of the sink (defaults to the upper-case statement name)
  std::string source_name;   // the STREAM/TABLE name
  bool is_table = false;
  bool windowed = false;
  std::vector<std::string> key_columns;  // in declaration order
};

class Engine {
 public:
  explicit Engine(EngineOptions options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Parses, checks and plans one or more ';'-separated statements. Errors carry "line:col: message".
  // A failure leaves earlier statements of the same text in place (as ksqlDB executes statement by statement).
  Status Execute(const std::string& sql_text);

  // Topics the declared streams/tables read (inputs), and the ones persistent queries write (outputs).
  std::vector<std::string> InputTopics() const;
  std::vector<OutputTopic> OutputTopics() const;
  // The top-level value fields the queries read of records pushed to `topic` (JSON field names match columns
  // case-insensitively): a source may decode only these.
  FieldDemand ValueDemand(const std::string& topic) const;

  // Feeds one record into `topic`. The record's key and value are JSON-level Values as they arrive on the wire
  // after format decoding: a Struct/Map/Array/number/string for JSON, a string for DELIMITED, a number or
  // string for KAFKA, null for a tombstone. Everything the record causes is appended to `out`, in order, and
  // carries the record's position (Record::position): an aggregate's update, a join's result, a window closed by
  // the record's time, the results of queries reading those, so a replay from the same input gives the same
  // positions.
  Status Push(const std::string& topic, Record record, std::vector<Emitted>& out);
  // The same for every record of a batch, in order (the topic is looked up once). With `consume` the caller
  // gives the records up: values only they hold are taken apart instead of copied, and the records are left
  // unspecified. Only for records no other thread can see.
  Status PushAll(const std::string& topic, std::span<Record> records, std::vector<Emitted>& out,
                 bool consume = false);

  // The input records of the last Push/PushAll call that a query dropped because of an error, each with its
  // error (also among the processing errors), in order; a record several queries dropped is listed for each.
  const std::vector<DroppedInput>& dropped_inputs() const;

  // The caller drops what is written to these topics: Push, PushAll and Advance leave those records out of
  // `out` (queries reading the topics still get them), which saves encoding them.
  void SetUnreadTopics(const std::vector<std::string>& topics);

  // Stream time advanced to `now_ms` without a record (EMIT FINAL / window close on idle).
  Status Advance(int64_t now_ms, std::vector<Emitted>& out);
  // Every input ended for good (`pipe run` of finite inputs, a test's flush_at_end): every open window closes and
  // EMIT FINAL results come out, as at the end of bounded input in Flink, instead of waiting for stream time that
  // will never come (ksqlDB's rule, which Push keeps). Outer stream-stream join rows waiting for their window
  // come out alone.
  Status EndOfInput(std::vector<Emitted>& out);

  // State snapshots: everything the queries keep between records (table rows, aggregates, join buffers, stream
  // time) as one Value. RestoreState takes what SaveState gave into an engine that executed the same statements
  // and has seen no records yet; a snapshot of other statements is refused with a reason.
  bool HasState() const;
  Value SaveState() const;
  Status RestoreState(const Value& state);

  // Scale-out, as ksqlDB repartitions a GROUP BY or a join through an internal topic: after SetRepartition every
  // GROUP BY and each side of every join writes the changes it gets to kRepartitionTopic (key: the encoded group or
  // join key, value: the query, the operator and the change, both bytes) instead of aggregating or joining them.
  // The caller carries those records through a Kafka topic partitioned by key, and the process owning a partition
  // feeds them to its own engine of the same statements (also SetRepartition) with PushRepartitioned, which
  // aggregates or joins them; what that produces for a later GROUP BY or join is repartitioned again. Call after
  // Execute.
  static constexpr std::string_view kRepartitionTopic = "__pipe_repartition";
  void SetRepartition();
  Status PushRepartitioned(std::vector<Record>& records, std::vector<Emitted>& out);
  // Why these statements cannot be scaled out, if they cannot.
  std::optional<std::string> ScaleOutProblem() const;
  // Whether records of `topic` change state before they reach a repartition (a table's rows, kept to know the
  // row an update replaces): such input needs its state kept per input partition.
  bool KeepsStateBeforeRepartition(const std::string& topic) const;

  // Records the queries dropped as later than their window's grace period, so far.
  int64_t LateRecords() const;
  // The processing errors since the last call (a long-running stage logs and counts them, then lets them go).
  std::vector<std::string> TakeProcessingErrors();

  // Processing errors (bad casts, deserialization failures) so far, each with the record shown.
  const std::vector<std::string>& processing_errors() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace pipeline::sql
