// The `sql` pipeline stage: runs ksqlDB statements over pipeline streams. A pipeline stream named X is the
// topic X for the SQL; every CREATE ... AS SELECT output becomes a pipeline stream named after the created
// stream/table (lower case). Emitted batches carry the AckTokens of the input batch that caused them; when the
// statements keep state (tables, aggregates, joins) the stage saves it in the state dir instead and acknowledges
// its input only once the state holding it is on disk (see state_snapshots.h).
//
// Scale-out (`scale_out:`, plugin/scale_out.h): the front runs the statements up to each GROUP BY and join and
// writes the changes to the repartition topic keyed by group or join key; the stage reads back the partitions the
// consumer group gives this process, one "group" task (an engine of the same statements) per partition, and saves
// each task's state to the partition of the changelog topic with the same number, so a partition that moves to
// another process brings its state along, as in Kafka Streams. What a group task produces for a later GROUP BY or
// join goes through the repartition topic again. An input whose front keeps state itself (a table) has one
// "front" task per input partition, saved the same way.
//
// This file is the glue: it routes input records to the tasks, applies on_error to those the statements cannot
// use, reports processing errors and metrics, and emits the outputs. The options are in sql_stage_spec.cpp, the
// scale-out task set in scale_out_tasks.h, the state on disk (restore, snapshots) in stage_state.h.
#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "core/value_codec.h"
#include "formats/dead_letter_envelope.h"
#include "observability/log.h"
#include "observability/metrics.h"
#include "plugin/dead_letter.h"
#include "plugin/processor.h"
#include "plugin/scale_out.h"
#include "sql/engine.h"
#include "sql/identifier.h"
#include "sql/stage/scale_out_tasks.h"
#include "sql/stage/stage_state.h"

namespace pipeline {

namespace {

using sql::RetiredTasks;
using sql::SqlStageSettings;
using sql::Task;

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// A batch's records by partition, in order, each part with the batch's tokens (they say where records come from).
std::map<int32_t, Batch> SplitByPartition(Batch& batch) {
  std::map<int32_t, Batch> parts;
  for (Record& record : batch.records) parts[record.partition].records.push_back(std::move(record));
  for (auto& [partition, part] : parts) part.acks = batch.acks;
  return parts;
}

class SqlProcessor final : public Processor {
 public:
  SqlProcessor(SqlStageSettings settings, std::unique_ptr<sql::Engine> engine, std::vector<std::string> inputs)
      : settings_(std::move(settings)), inputs_(std::move(inputs)) {
    for (const auto& o : engine->OutputTopics()) {
      outputs_.push_back(Lower(o.source_name));
      topics_.push_back(o.topic);
      key_columns_.push_back(o.is_table ? o.key_columns : std::vector<std::string>{});
      if (o.is_table) table_topics_.insert(o.topic);
    }
    if (settings_.scale_out) {
      front_ = std::move(engine);
      front_->SetRepartition();
      outputs_.push_back(RepartitionOutput(settings_.name));
      topics_.emplace_back(sql::Engine::kRepartitionTopic);
      repartitioned_ = std::find(inputs_.begin(), inputs_.end(), RepartitionInput(settings_.name)) -
                       inputs_.begin();
    } else {
      whole_.engine = std::move(engine);
    }
  }

  std::vector<std::string> inputs() const override { return inputs_; }
  std::vector<std::string> outputs() const override { return outputs_; }
  std::vector<std::string> OutputKeyColumns(size_t output_index) const override {
    return output_index < key_columns_.size() ? key_columns_[output_index] : std::vector<std::string>{};
  }
  // Derived streams nobody reads (such as those only other statements read) need not be encoded.
  void SetUnreadOutputs(const std::vector<bool>& unread) override {
    unread_topics_.clear();
    for (size_t i = 0; i < unread.size() && i < topics_.size(); ++i)
      if (unread[i]) unread_topics_.push_back(topics_[i]);
    Statements().SetUnreadTopics(unread_topics_);
  }
  FieldDemand InputDemand(size_t input_index, const std::vector<FieldDemand>&) const override {
    // A dead letter or a failure shows the whole input record, not the fields the statements read.
    if (input_index == repartitioned_ || settings_.topics_from_records || settings_.on_error != OnError::kSkip)
      return FieldDemand::All();
    return Statements().ValueDemand(inputs_[input_index]);
  }

  Status Open(const std::string& state_dir, MetricsRegistry* metrics) override {
    OpenMetrics(metrics);
    if (settings_.scale_out) return OpenChangelog();
    if (state_dir.empty() || !whole_.engine->HasState()) return {};
    auto path = std::filesystem::path(state_dir) / "sql" / (settings_.name + ".state");
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) return FatalError("cannot create " + path.parent_path().string() + ": " + ec.message());
    state_ = std::make_unique<sql::StageState>(settings_, sql::MakeFileSnapshotStore(path.string()),
                                               [this](Task& task) { return NewEngine(task); });
    return state_->Restore(whole_);
  }

  std::vector<std::string> InputsToReplayFromStart() const override {
    return state_ && state_->rebuilding() ? inputs_ : std::vector<std::string>{};
  }

  Status Process(size_t input_index, BatchPtr batch, const EmitFn& emit) override {
    if (!batch->records.empty()) last_position_ = batch->records.back().position;
    Status s;
    if (!settings_.scale_out) s = ProcessWhole(inputs_[input_index], std::move(batch), emit);
    else if (input_index == repartitioned_) s = ProcessRepartitioned(std::move(batch), emit);
    else s = ProcessFront(inputs_[input_index], std::move(batch), emit);
    PIPE_RETURN_IF_ERROR(s);
    Report();
    return MaybeSeal();
  }

  // Stream time follows event time, as in ksqlDB: it advances with records, never with the wall clock
  // (advancing it by the clock would make every record older than now "late" and drop it).
  Status Tick(int64_t, const EmitFn&) override {
    if (settings_.scale_out) DropMovedTasks();
    Report();
    return MaybeSeal();
  }

  // Finite inputs, all read: windows close and EMIT FINAL results come out (sql::Engine::EndOfInput). A scaled-out
  // stage reads Kafka, which never ends.
  Status EndOfInput(const EmitFn& emit) override {
    if (settings_.scale_out) return {};
    std::vector<sql::Emitted>& out = out_;
    out.clear();
    PIPE_RETURN_IF_ERROR(whole_.engine->EndOfInput(out));
    // No record closed these windows but the end of input: they carry the position of the last record read, the
    // same after a replay of the same input.
    for (sql::Emitted& e : out) e.record.position = last_position_;
    if (!state_) {
      Deliver(out, {}, emit);
      return {};
    }
    whole_.dirty = true;  // windows closed
    Deliver(out, {state_->snapshots().EpochToken()}, emit);
    return {};
  }

  Status Finish(const EmitFn&) override {
    Report();
    if (state_) Seal();
    return {};
  }

 private:
  // The engine that answers questions about the statements (outputs, demanded fields).
  sql::Engine& Statements() const { return settings_.scale_out ? *front_ : *whole_.engine; }

  void OpenMetrics(MetricsRegistry* metrics) {
    if (!metrics) return;
    Labels labels = {{"component", settings_.name}};
    late_metric_ = metrics->GetCounter("pipe_sql_late_records_total", labels,
                                       "Records a SQL query dropped as later than their window's grace period");
    errors_metric_ = metrics->GetCounter("pipe_sql_processing_errors_total", labels,
                                         "SQL processing errors (bad casts, undecodable records): NULL or the record dropped");
    replayed_metric_ = metrics->GetCounter("pipe_sql_replayed_records_skipped_total", labels,
                                           "Replayed records a restored SQL state already held, skipped");
    if (!settings_.scale_out) return;
    tasks_metric_ = metrics->GetGauge("pipe_sql_tasks", labels,
                                      "scale_out: partitions whose SQL state this process holds now");
    restores_metric_ = metrics->GetCounter("pipe_sql_state_restores_total", labels,
                                           "scale_out: partitions whose state was restored from the changelog topic");
  }

  Status ProcessWhole(const std::string& topic, BatchPtr batch, const EmitFn& emit) {
    std::vector<sql::Emitted>& out = out_;  // reused, so that it does not grow (moving every record) each batch
    out.clear();
    // The records are not given up to the engine (PushAll's `consume`), though it could move the source's values
    // instead of copying them: measured, that was slower (Nexmark q0, 1M events: 2.6-2.9 s CPU against 2.3 s), as
    // the source's strings then live on in the output records until the sink frees them on its own thread.
    if (!state_) {
      PIPE_RETURN_IF_ERROR(PushRouted(*whole_.engine, topic, batch->records, out));
      PIPE_RETURN_IF_ERROR(SyncDeadLetters());
      Deliver(out, batch->acks, emit);
      return {};
    }
    std::vector<Record>& admitted = whole_.replay.Admit(*batch, kept_);
    if (whole_.rebuild.active()) PIPE_RETURN_IF_ERROR(PushRebuilding(topic, *batch, admitted, out));
    else PIPE_RETURN_IF_ERROR(PushRouted(*whole_.engine, topic, admitted, out));
    whole_.dirty = true;
    PIPE_RETURN_IF_ERROR(SyncDeadLetters());
    Deliver(out, {state_->snapshots().EpochToken()}, emit);
    state_->snapshots().Hold(batch->acks);
    return {};
  }

  // Scale-out, before the repartition. Each repartition record is stamped with the input record it came from
  // (OriginFilter), when the input's positions are stable. A stateless front's outputs carry the input's tokens;
  // a front keeping state has a task per input partition, like the group tasks.
  Status ProcessFront(const std::string& input, BatchPtr batch, const EmitFn& emit) {
    const AckTracker* origin = sql::StableOrigin(batch->acks);
    std::vector<sql::Emitted> out;
    std::shared_ptr<PartitionOwnership> owner = tasks_->FrontOwner(input);
    if (!owner) {  // a front keeping no state for this input
      PIPE_RETURN_IF_ERROR(PushStamped(*front_, input, batch->records, origin, out));
      PIPE_RETURN_IF_ERROR(SyncDeadLetters());
      Deliver(out, batch->acks, emit);
      return {};
    }
    DropMovedTasks();
    for (auto& [partition, part] : SplitByPartition(*batch)) {
      auto task = tasks_->TaskFor({"front:" + input, partition}, part.records.front().topic, owner, make_task_);
      if (!task.ok()) return task.error();
      Task& t = **task;
      PIPE_RETURN_IF_ERROR(PushStamped(*t.engine, input, t.replay.Admit(part, kept_), origin, out));
      t.dirty = true;
    }
    PIPE_RETURN_IF_ERROR(SyncDeadLetters());
    Deliver(out, {state_->snapshots().EpochToken()}, emit);
    state_->snapshots().Hold(batch->acks);
    return {};
  }

  // on_state_change: rebuild (RebuildFilter). Runs of records the previous statements had taken go into the
  // state with their outputs dropped; the others are pushed as usual. Lanes pass their saved positions at
  // different times (Kafka partitions read side by side), so a table row the new statements already emitted may
  // still change by a record of a lane that is behind: that update comes out too, or the row would stay stale.
  Status PushRebuilding(const std::string& topic, const Batch& batch, std::vector<Record>& records,
                        std::vector<sql::Emitted>& out) {
    const AckTracker* origin = sql::StableOrigin(batch.acks);
    quiet_.assign(records.size(), false);
    for (size_t i = 0; origin && i < records.size(); ++i) quiet_[i] = whole_.rebuild.Quiet(*origin, records[i]);
    for (size_t start = 0; start < records.size();) {
      size_t end = start + 1;
      while (end < records.size() && quiet_[end] == quiet_[start]) ++end;
      std::span<Record> run(records.data() + start, end - start);
      if (!quiet_[start]) {
        const size_t first = out.size();
        PIPE_RETURN_IF_ERROR(PushRouted(*whole_.engine, topic, run, out));
        for (size_t i = first; i < out.size(); ++i)
          if (table_topics_.count(out[i].topic)) emitted_rows_.insert(RowIdentity(out[i]));
      } else {
        rebuilt_.clear();
        PIPE_RETURN_IF_ERROR(PushRouted(*whole_.engine, topic, run, rebuilt_));
        for (sql::Emitted& e : rebuilt_)
          if (table_topics_.count(e.topic) && emitted_rows_.count(RowIdentity(e))) out.push_back(std::move(e));
      }
      start = end;
    }
    if (!whole_.rebuild.active()) emitted_rows_.clear();  // every lane is past: the rebuild is over
    return {};
  }

  // A table row's topic, key and window: what a later update of the same row has too.
  static std::string RowIdentity(const sql::Emitted& e) {
    std::string identity = e.topic + '\0';
    EncodeValue(e.record.key, identity);
    if (e.record.window) identity += std::to_string(e.record.window->start) + ',' + std::to_string(e.record.window->end);
    return identity;
  }

  // Pushes the records to `input`'s topic, or with topics_from_records each run of one topic to that topic.
  Status PushRouted(sql::Engine& engine, const std::string& input, std::span<Record> records,
                    std::vector<sql::Emitted>& out) {
    if (!settings_.topics_from_records) {
      PIPE_RETURN_IF_ERROR(engine.PushAll(input, records, out));
      return SettleDropped(engine, records);
    }
    for (auto run = records.begin(); run != records.end();) {
      auto end = std::find_if(run, records.end(), [&](const Record& r) { return r.topic != run->topic; });
      // The run is read in place: the batch may be shared with other consumers of the input stream.
      std::span<Record> part(run, end);
      if (Declared(*run)) {
        PIPE_RETURN_IF_ERROR(engine.PushAll(run->topic, part, out));
        PIPE_RETURN_IF_ERROR(SettleDropped(engine, part));
      } else {
        for (const Record& r : part) PIPE_RETURN_IF_ERROR(Unusable(r, Undeclared(r)));
      }
      run = end;
    }
    return {};
  }

  // Applies on_error to each input record the engine's last push dropped because of an error (`pushed`: the
  // records of that push), once per record with every error it had.
  Status SettleDropped(const sql::Engine& engine, std::span<const Record> pushed) {
    if (settings_.on_error == OnError::kSkip) return {};
    const std::vector<sql::DroppedInput>& dropped = engine.dropped_inputs();
    for (size_t i = 0; i < dropped.size();) {
      std::string errors = dropped[i].error;
      size_t next = i + 1;
      for (; next < dropped.size() && dropped[next].index == dropped[i].index; ++next) errors += "; " + dropped[next].error;
      PIPE_RETURN_IF_ERROR(Unusable(pushed[dropped[i].index], errors));
      i = next;
    }
    return {};
  }

  // An input record the statements could not use, under on_error (the processing error is logged and counted by
  // Report either way).
  Status Unusable(const Record& record, const std::string& error) {
    switch (settings_.on_error) {
      case OnError::kSkip: return {};
      case OnError::kFail: {
        std::string shown;
        AppendRecordEnvelope(record, shown);
        if (shown.size() > 400) shown = shown.substr(0, 400) + "…";
        return DataError("transform " + settings_.name + ": " + error + "\n  record: " + shown +
                         "\n  (set on_error: skip or dead_letter to let the pipeline go on)");
      }
      case OnError::kDeadLetter:
        return settings_.dead_letters->Write(DeadLetter{
            .stage = FailedStage::kSql, .component = settings_.name, .error = DataError(error), .record = &record});
    }
    return {};
  }

  // The dead letters of a batch are durable before anything derived from it moves on (and with it the
  // acknowledgement of the records they stand for). One sync per batch; none when nothing was written.
  Status SyncDeadLetters() { return settings_.dead_letters ? settings_.dead_letters->Sync() : Status(); }

  // With topics_from_records: whether a statement reads the record's topic; a record no statement reads is a
  // processing error (logged and counted), as ksqlDB counts records it cannot use.
  bool Declared(const Record& r) {
    if (r.topic == last_declared_topic_) return true;  // records come in runs of one topic
    if (declared_topics_.empty())
      for (const std::string& t : Statements().InputTopics()) declared_topics_.insert(sql::AsciiUpper(t));
    if (declared_topics_.count(sql::AsciiUpper(r.topic))) {
      last_declared_topic_ = r.topic;
      return true;
    }
    taken_errors_.push_back(Undeclared(r));
    return false;
  }

  static std::string Undeclared(const Record& r) {
    return "a record of topic '" + r.topic + "' (partition " + std::to_string(r.partition) + ", offset " +
           std::to_string(r.offset) + ") is read by no statement: dropped";
  }

  Status PushStamped(sql::Engine& engine, const std::string& input, std::vector<Record>& records,
                     const AckTracker* origin, std::vector<sql::Emitted>& out) {
    for (Record& record : records) {
      if (settings_.topics_from_records && !Declared(record)) {
        PIPE_RETURN_IF_ERROR(Unusable(record, Undeclared(record)));
        continue;
      }
      const std::string topic = settings_.topics_from_records ? record.topic : input;  // a copy: record moves below
      PIPE_RETURN_IF_ERROR(Stamped(origin, record, out, [&](Record& r) -> Status {
        if (settings_.on_error == OnError::kSkip) return engine.Push(topic, std::move(r), out);
        // Kept whole: on_error shows it if a statement cannot use it.
        std::span<Record> one(&r, 1);
        PIPE_RETURN_IF_ERROR(engine.PushAll(topic, one, out));
        return SettleDropped(engine, one);
      }));
    }
    return {};
  }

  // Pushes one record with `push`. What it causes carries its position (a sink may need one per record: an
  // Elasticsearch id, a database's offsets table); the repartition records are stamped with it too, when its
  // source's positions are stable, so that a replay after a crash counts once.
  template <class PushFn>
  static Status Stamped(const AckTracker* origin, Record& record, std::vector<sql::Emitted>& out, PushFn push) {
    const size_t first = out.size();
    const Position position = record.position;
    const bool stamp = origin && position.valid();
    const std::string key = stamp ? sql::SourcePositionKey(*origin, record) : std::string();
    PIPE_RETURN_IF_ERROR(push(record));
    int64_t index = 0;
    for (size_t i = first; i < out.size(); ++i) {
      out[i].record.position = position;
      if (stamp && out[i].topic == sql::Engine::kRepartitionTopic)
        sql::OriginFilter::Stamp(out[i].record, key, position, index++);
    }
    return {};
  }

  // Scale-out, after the repartition: each partition's records go to its task, in order. What a task writes to the
  // repartition topic again (for a later GROUP BY or join) is stamped with the record it came from, as the front's.
  Status ProcessRepartitioned(BatchPtr batch, const EmitFn& emit) {
    DropMovedTasks();
    const AckTracker* origin = sql::StableOrigin(batch->acks);
    std::vector<sql::Emitted> out;
    std::vector<Record> one;
    for (auto& [partition, part] : SplitByPartition(*batch)) {
      auto task = tasks_->GroupTask(partition, make_task_);
      if (!task.ok()) return task.error();
      Task& t = **task;
      std::vector<Record>& admitted = t.replay.Admit(part, kept_);
      std::erase_if(admitted, [&](const Record& r) { return !t.origins.Admit(r); });
      for (Record& record : admitted)
        PIPE_RETURN_IF_ERROR(Stamped(origin, record, out, [&](Record& r) {
          one.assign(1, std::move(r));
          return t.engine->PushRepartitioned(one, out);
        }));
      t.dirty = true;
    }
    Deliver(out, {state_->snapshots().EpochToken()}, emit);
    state_->snapshots().Hold(batch->acks);
    return {};
  }

  Status OpenChangelog() {
    auto store = settings_.scale_out->OpenChangelog();
    if (!store.ok()) return store.error();
    state_ = std::make_unique<sql::StageState>(settings_, std::move(*store),
                                               [this](Task& task) { return NewEngine(task); });
    state_->set_restores_metric(restores_metric_);
    tasks_ = std::make_unique<sql::ScaleOutTasks>(*settings_.scale_out, settings_.name, inputs_, *front_,
                                                   settings_.topics_from_records);
    // A partition's task, made when its first record arrives, starts from the partition's changelog.
    make_task_ = [this](Task& task) -> Status {
      PIPE_RETURN_IF_ERROR(NewEngine(task));
      return state_->Restore(task);
    };
    return {};
  }

  Status NewEngine(Task& task) {
    auto engine = sql::MakeEngine(settings_);
    if (!engine.ok()) return engine.error();
    task.engine = std::move(*engine);
    if (settings_.scale_out) task.engine->SetRepartition();  // every task: front and group ones repartition onwards
    task.engine->SetUnreadTopics(unread_topics_);
    return {};
  }

  // Partitions given up (or given up and got back: another process may have changed their state meanwhile) lose
  // their task; their state is in the changelog, written before the source let them go.
  void DropMovedTasks() {
    std::vector<TaskId> moved = tasks_->Moved();
    if (moved.empty()) return;
    if (tasks_->AnyDirty(moved)) Seal();
    tasks_->Retire(moved, retired_);
    LogInfo("sql_partitions_released", "transform " + settings_.name + ": " + std::to_string(moved.size()) +
                                           " partitions moved away; their state stays in " +
                                           settings_.scale_out->changelog_name());
  }

  // Logs the processing errors since the last call, as ksqlDB's processing log does (the first ones each, then
  // one line per thousand so a stream of bad records cannot flood the log), and updates the metrics.
  void Report() {
    std::vector<std::string> errors = std::exchange(taken_errors_, {});
    for (std::string& error : retired_.errors) errors.push_back(std::move(error));
    retired_.errors.clear();
    int64_t late = retired_.late, replayed = retired_.replayed;
    ForEachEngine([&](sql::Engine& engine, const Task* task) {
      for (std::string& error : engine.TakeProcessingErrors()) errors.push_back(std::move(error));
      late += engine.LateRecords();
      if (task) replayed += task->replay.skipped() + task->origins.skipped();
    });
    for (const std::string& error : errors) {
      ++processing_errors_;
      if (processing_errors_ <= kErrorsLoggedEach || processing_errors_ % 1000 == 0)
        LogWarn("sql_processing_error", "transform " + settings_.name + ": " + error +
                                            (processing_errors_ < kErrorsLoggedEach ? "" : " (" + std::to_string(processing_errors_) +
                                                 " processing errors so far; the log shows one in a thousand from here)"));
    }
    if (errors_metric_) errors_metric_->Set(processing_errors_);
    if (late_metric_) late_metric_->Set(late);
    if (replayed_metric_) replayed_metric_->Set(replayed);
    if (tasks_metric_ && tasks_) tasks_metric_->Set(static_cast<int64_t>(tasks_->size()));
  }

  template <class Fn>
  void ForEachEngine(Fn fn) {
    if (!settings_.scale_out) return fn(*whole_.engine, &whole_);
    fn(*front_, nullptr);
    if (tasks_)
      for (Task* task : tasks_->All()) fn(*task->engine, task);
  }

  Status MaybeSeal() {
    if (!state_) return {};
    return state_->MaybeSeal([this] { return AllTasks(); });
  }

  void Seal() { state_->Seal(AllTasks()); }

  std::vector<Task*> AllTasks() {
    if (settings_.scale_out) return tasks_ ? tasks_->All() : std::vector<Task*>{};
    return {&whole_};
  }

  void Deliver(std::vector<sql::Emitted>& out, const std::vector<AckToken>& acks, const EmitFn& emit) {
    if (out.empty()) return;
    std::vector<BatchPtr> batches(topics_.size());
    for (auto& e : out) {
      auto it = std::find(topics_.begin(), topics_.end(), e.topic);
      if (it == topics_.end()) continue;
      size_t index = static_cast<size_t>(it - topics_.begin());
      if (!batches[index]) {
        batches[index] = std::make_shared<Batch>();
        batches[index]->acks = acks;
      }
      e.record.topic = outputs_[index];
      if (batches[index]->records.empty()) batches[index]->records.reserve(out.size());
      batches[index]->records.push_back(std::move(e.record));
    }
    for (size_t i = 0; i < batches.size(); ++i)
      if (batches[i]) emit(i, batches[i]);
  }

  SqlStageSettings settings_;
  std::vector<sql::Emitted> out_;  // what one ProcessWhole call emits; kept for its capacity
  std::vector<std::string> inputs_;
  std::vector<std::string> outputs_;
  std::vector<std::string> topics_;  // the engine topic behind each output
  std::vector<std::vector<std::string>> key_columns_;  // of each output that is a table (OutputKeyColumns)
  std::vector<std::string> unread_topics_;
  Task whole_;                          // without scale-out: the stage's one task
  // Scale-out: the statements up to each GROUP BY and join (fed with the inputs whose front keeps no state), the
  // tasks, the input index of the repartition records, and the assignments of the repartition topic and of the
  // inputs whose front keeps state (one "front" task per partition).
  std::unique_ptr<sql::Engine> front_;
  std::unique_ptr<sql::ScaleOutTasks> tasks_;
  std::function<Status(Task&)> make_task_;  // a new partition's task (sql::ScaleOutTasks::TaskFor)
  size_t repartitioned_ = SIZE_MAX;
  std::unique_ptr<sql::StageState> state_;  // null: the statements keep no state, or no state dir
  std::vector<Record> kept_;  // scratch for ReplayFilter::Admit
  std::vector<char> quiet_;                 // scratch for PushRebuilding: which records only build state
  std::vector<sql::Emitted> rebuilt_;       // and what they made, dropped
  std::set<std::string> table_topics_;      // the engine topics of the outputs that are tables
  std::set<std::string> emitted_rows_;      // rebuild: table rows (RowIdentity) the new statements emitted
  std::set<std::string> declared_topics_;  // upper case; see Declared
  std::string last_declared_topic_;
  static constexpr int64_t kErrorsLoggedEach = 20;
  int64_t processing_errors_ = 0;
  std::vector<std::string> taken_errors_;  // of tasks dropped since the last Report
  Position last_position_;  // of the last input record read (EndOfInput)
  RetiredTasks retired_;  // of the tasks dropped so far, so the metrics never go back
  Counter* late_metric_ = nullptr;
  Counter* errors_metric_ = nullptr;
  Counter* replayed_metric_ = nullptr;
  Counter* tasks_metric_ = nullptr;
  Counter* restores_metric_ = nullptr;
};

}  // namespace

std::unique_ptr<Processor> MakeSqlProcessor(sql::SqlStageSettings settings, std::unique_ptr<sql::Engine> engine,
                                            std::vector<std::string> inputs) {
  return std::make_unique<SqlProcessor>(std::move(settings), std::move(engine), std::move(inputs));
}

}  // namespace pipeline
