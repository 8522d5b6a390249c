// The `sql` pipeline stage: runs ksqlDB statements over pipeline streams. A pipeline stream named X is the
// topic X for the SQL; every CREATE ... AS SELECT output becomes a pipeline stream named after the created
// stream/table (lower case). Emitted batches carry the AckTokens of the input batch that caused them; when the
// statements keep state (tables, aggregates, joins) the stage saves it in the state dir instead and acknowledges
// its input only once the state holding it is on disk (see state_snapshots.h).
#include <algorithm>
#include <chrono>
#include <filesystem>

#include "connectors/builtin.h"
#include "core/value_codec.h"
#include "observability/log.h"
#include "observability/metrics.h"
#include "plugin/registry.h"
#include "sql/engine.h"
#include "sql/stage/state_snapshots.h"

namespace pipeline {

namespace {

constexpr std::string_view kSnapshotMagic = "pipe-sql-state 1\n";

struct SqlStageSettings {
  std::string name;  // the transform's name in the pipeline file
  std::string sql;
  sql::EngineOptions engine;
  std::chrono::milliseconds commit_interval{2000};  // ksqlDB's default commit.interval.ms
};

Result<std::unique_ptr<sql::Engine>> MakeEngine(const SqlStageSettings& settings) {
  auto engine = std::make_unique<sql::Engine>(settings.engine);
  Status s = engine->Execute(settings.sql);
  if (!s.ok()) return s.error();
  return engine;
}

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

class SqlProcessor final : public Processor {
 public:
  SqlProcessor(SqlStageSettings settings, std::unique_ptr<sql::Engine> engine, std::vector<std::string> inputs)
      : settings_(std::move(settings)), engine_(std::move(engine)), inputs_(std::move(inputs)) {
    for (const auto& o : engine_->OutputTopics()) {
      outputs_.push_back(Lower(o.source_name));
      topics_.push_back(o.topic);
    }
  }

  std::vector<std::string> inputs() const override { return inputs_; }
  std::vector<std::string> outputs() const override { return outputs_; }
  // Derived streams nobody reads (such as those only other statements read) need not be encoded.
  void SetUnreadOutputs(const std::vector<bool>& unread) override {
    std::vector<std::string> topics;
    for (size_t i = 0; i < unread.size() && i < topics_.size(); ++i)
      if (unread[i]) topics.push_back(topics_[i]);
    engine_->SetUnreadTopics(topics);
  }
  FieldDemand InputDemand(size_t input_index, const std::vector<FieldDemand>&) const override {
    return engine_->ValueDemand(inputs_[input_index]);
  }

  Status Open(const std::string& state_dir, MetricsRegistry* metrics) override {
    if (metrics) {
      Labels labels = {{"component", settings_.name}};
      late_metric_ = metrics->GetCounter("pipe_sql_late_records_total", labels,
                                         "Records a SQL query dropped as later than their window's grace period");
      errors_metric_ = metrics->GetCounter("pipe_sql_processing_errors_total", labels,
                                           "SQL processing errors (bad casts, undecodable records): NULL or the record dropped");
      replayed_metric_ = metrics->GetCounter("pipe_sql_replayed_records_skipped_total", labels,
                                             "Replayed records a restored SQL state already held, skipped");
    }
    if (state_dir.empty() || !engine_->HasState()) return {};
    auto path = std::filesystem::path(state_dir) / "sql" / (settings_.name + ".state");
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) return FatalError("cannot create " + path.parent_path().string() + ": " + ec.message());
    snapshots_ = std::make_unique<sql::StateSnapshots>(path.string());
    return Restore();
  }

  Status Process(size_t input_index, BatchPtr batch, const EmitFn& emit) override {
    const std::string& topic = inputs_[input_index];
    std::vector<sql::Emitted> out;
    if (!snapshots_) {
      PIPE_RETURN_IF_ERROR(engine_->PushAll(topic, batch->records, out));
      Deliver(out, batch->acks, emit);
      Report();
      return {};
    }
    PIPE_RETURN_IF_ERROR(engine_->PushAll(topic, replay_.Admit(*batch, kept_), out));
    Deliver(out, {snapshots_->EpochToken()}, emit);
    snapshots_->Hold(batch->acks);
    Report();
    return MaybeSeal();
  }

  // Stream time follows event time, as in ksqlDB: it advances with records, never with the wall clock
  // (advancing it by the clock would make every record older than now "late" and drop it).
  Status Tick(int64_t, const EmitFn&) override {
    Report();
    return MaybeSeal();
  }

  Status Finish(const EmitFn&) override {
    Report();
    if (snapshots_) Seal();
    return {};
  }

 private:
  // Logs the processing errors since the last call, as ksqlDB's processing log does (the first ones each, then
  // one line per thousand so a stream of bad records cannot flood the log), and updates the metrics.
  void Report() {
    for (const std::string& error : engine_->TakeProcessingErrors()) {
      ++processing_errors_;
      if (processing_errors_ <= kErrorsLoggedEach || processing_errors_ % 1000 == 0)
        LogWarn("sql_processing_error", "transform " + settings_.name + ": " + error +
                                            (processing_errors_ < kErrorsLoggedEach ? "" : " (" + std::to_string(processing_errors_) +
                                                 " processing errors so far; the log shows one in a thousand from here)"));
    }
    if (errors_metric_) errors_metric_->Set(processing_errors_);
    if (late_metric_) late_metric_->Set(engine_->LateRecords());
    if (replayed_metric_) replayed_metric_->Set(replay_.skipped());
  }

  // Restores the state saved by the last run of the same statements; other statements start empty.
  Status Restore() {
    auto loaded = snapshots_->Load();
    if (!loaded.ok()) return loaded.error();
    if (!*loaded) return {};
    std::string_view bytes = **loaded;
    if (!bytes.starts_with(kSnapshotMagic)) return Discard("it is not a pipe SQL state file");
    bytes.remove_prefix(kSnapshotMagic.size());
    auto saved = DecodeValue(bytes);
    if (!saved.ok() || !saved->is_array() || saved->as_array().size() != 3) return Discard("it is damaged");
    const Array& parts = saved->as_array();
    if (!parts[0].is_string() || parts[0].as_string() != settings_.sql) return Discard("the statements changed since");
    Status restored = engine_->RestoreState(parts[2]);
    if (!restored.ok()) return Discard(restored.message());
    replay_.Restore(parts[1]);
    LogInfo("sql_state_restored", "transform " + settings_.name + ": state restored from " + snapshots_->path() +
                                      "; records it already holds are skipped when the sources replay them");
    return {};
  }

  // Starts from empty state (a fresh engine: a failed restore may have filled part of the old one).
  Status Discard(const std::string& why) {
    LogWarn("sql_state_discarded", "transform " + settings_.name + ": not using the saved state " + snapshots_->path() +
                                       " (" + why + "); starting from empty state");
    auto engine = MakeEngine(settings_);
    if (!engine.ok()) return engine.error();
    engine_ = std::move(*engine);
    return {};
  }

  Status MaybeSeal() {
    if (!snapshots_) return {};
    if (snapshots_->epoch_open() && std::chrono::steady_clock::now() - last_seal_ >= settings_.commit_interval) Seal();
    if (auto error = snapshots_->TakeWriteError()) return FatalError(*error);
    return {};
  }

  void Seal() {
    std::string bytes(kSnapshotMagic);
    EncodeValue(Value(Array{Value(settings_.sql), replay_.Save(), engine_->SaveState()}), bytes);
    snapshots_->Seal(std::move(bytes));
    last_seal_ = std::chrono::steady_clock::now();
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
      batches[index]->records.push_back(std::move(e.record));
    }
    for (size_t i = 0; i < batches.size(); ++i)
      if (batches[i]) emit(i, batches[i]);
  }

  SqlStageSettings settings_;
  std::unique_ptr<sql::Engine> engine_;
  std::vector<std::string> inputs_;
  std::vector<std::string> outputs_;
  std::vector<std::string> topics_;
  std::unique_ptr<sql::StateSnapshots> snapshots_;  // null: the statements keep no state, or no state dir
  sql::ReplayFilter replay_;
  std::vector<Record> kept_;  // scratch for replay_
  std::chrono::steady_clock::time_point last_seal_ = std::chrono::steady_clock::now();
  static constexpr int64_t kErrorsLoggedEach = 20;
  int64_t processing_errors_ = 0;
  Counter* late_metric_ = nullptr;
  Counter* errors_metric_ = nullptr;
  Counter* replayed_metric_ = nullptr;
};

}  // namespace

void RegisterSqlStage(Registry& registry) {
  ComponentSpec spec;
  spec.type = "sql";
  spec.kind = ComponentKind::kStage;
  spec.summary = "Runs ksqlDB-dialect streaming SQL over pipeline streams";
  spec.options = {
      {"sql", OptionType::kString,
       "ksqlDB statements. Declare each input with CREATE STREAM x (...) WITH (KAFKA_TOPIC='x', VALUE_FORMAT='JSON'); "
       "every CREATE STREAM/TABLE ... AS SELECT becomes an output stream named after it (lower case).",
       "", true},
      {"properties", OptionType::kMap, "Engine properties as ksqlDB names them (e.g. ksql.functions.collect_list.limit). A table's changes "
       "are passed on as the last update per key of each input batch, like ksqlDB's record cache; "
       "ksql.streams.cache.max.bytes.buffering: 0 passes on every update. State (tables, aggregates, joins) is saved "
       "in the state dir every ksql.streams.commit.interval.ms (default 2000)."},
  };
  spec.example =
      "transforms:\n"
      "  big_orders:\n"
      "    type: sql\n"
      "    inputs: [orders]\n"
      "    sql: |\n"
      "      CREATE STREAM orders (id INT KEY, amount DOUBLE) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON');\n"
      "      CREATE STREAM big AS SELECT id, amount FROM orders WHERE amount > 100;\n";
  registry.AddStage(std::move(spec), [](const Options& options, const BuildContext& ctx)
                                         -> Result<std::unique_ptr<Processor>> {
    SqlStageSettings settings;
    settings.name = ctx.name;
    settings.sql = options.GetString("sql");
    auto& properties = settings.engine.properties;
    if (options.Has("properties")) properties = options.GetMap("properties");
    // A pipeline passes table changes on as ksqlDB does with its record cache, unless the cache is sized 0.
    auto cache = properties.find("ksql.streams.cache.max.bytes.buffering");
    settings.engine.coalesce_table_changes = cache == properties.end() || cache->second != "0";
    if (auto interval = properties.find("ksql.streams.commit.interval.ms"); interval != properties.end()) {
      char* end = nullptr;
      long long ms = std::strtoll(interval->second.c_str(), &end, 10);
      if (end == interval->second.c_str() || *end || ms < 0)
        return options.ErrorAt("properties", "ksql.streams.commit.interval.ms must be a number of milliseconds, got '" +
                                                 interval->second + "'");
      settings.commit_interval = std::chrono::milliseconds(ms);
    }
    auto made = MakeEngine(settings);
    if (!made.ok()) return options.ErrorAt("sql", made.error().message());
    auto engine = std::move(*made);
    auto topics = engine->InputTopics();
    for (const auto& input : ctx.inputs)
      if (std::find(topics.begin(), topics.end(), input) == topics.end())
        return options.ErrorAt("sql", "input stream '" + input +
                                          "' has no declaration: add CREATE STREAM " + input + " (...) WITH (KAFKA_TOPIC='" +
                                          input + "', VALUE_FORMAT='JSON');");
    if (engine->OutputTopics().empty())
      return options.ErrorAt("sql", "the SQL creates no output: add CREATE STREAM name AS SELECT ...");
    return std::unique_ptr<Processor>(std::make_unique<SqlProcessor>(std::move(settings), std::move(engine), ctx.inputs));
  });
}

}  // namespace pipeline
