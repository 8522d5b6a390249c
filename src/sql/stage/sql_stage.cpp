// The `sql` pipeline stage: runs ksqlDB statements over pipeline streams. A pipeline stream named X is the
// topic X for the SQL; every CREATE ... AS SELECT output becomes a pipeline stream named after the created
// stream/table (lower case). Emitted batches carry the AckTokens of the input batch that caused them.
#include <algorithm>

#include "connectors/builtin.h"
#include "plugin/registry.h"
#include "sql/engine.h"

namespace pipeline {

namespace {

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

class SqlProcessor final : public Processor {
 public:
  SqlProcessor(std::unique_ptr<sql::Engine> engine, std::vector<std::string> inputs)
      : engine_(std::move(engine)), inputs_(std::move(inputs)) {
    for (const auto& o : engine_->OutputTopics()) {
      outputs_.push_back(Lower(o.source_name));
      topics_.push_back(o.topic);
    }
  }

  std::vector<std::string> inputs() const override { return inputs_; }
  std::vector<std::string> outputs() const override { return outputs_; }
  FieldDemand InputDemand(size_t input_index, const std::vector<FieldDemand>&) const override {
    return engine_->ValueDemand(inputs_[input_index]);
  }

  Status Process(size_t input_index, BatchPtr batch, const EmitFn& emit) override {
    const std::string& topic = inputs_[input_index];
    std::vector<sql::Emitted> out;
    PIPE_RETURN_IF_ERROR(engine_->PushAll(topic, batch->records, out));
    Deliver(out, batch->acks, emit);
    return {};
  }

  // Stream time follows event time, as in ksqlDB: it advances with records, never with the wall clock
  // (advancing it by the clock would make every record older than now "late" and drop it).
  Status Tick(int64_t, const EmitFn&) override { return {}; }

 private:
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

  std::unique_ptr<sql::Engine> engine_;
  std::vector<std::string> inputs_;
  std::vector<std::string> outputs_;
  std::vector<std::string> topics_;
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
       "ksql.streams.cache.max.bytes.buffering: 0 passes on every update."},
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
    sql::EngineOptions engine_options;
    if (options.Has("properties")) engine_options.properties = options.GetMap("properties");
    // A pipeline passes table changes on as ksqlDB does with its record cache, unless the cache is sized 0.
    auto cache = engine_options.properties.find("ksql.streams.cache.max.bytes.buffering");
    engine_options.coalesce_table_changes = cache == engine_options.properties.end() || cache->second != "0";
    auto engine = std::make_unique<sql::Engine>(engine_options);
    Status s = engine->Execute(options.GetString("sql"));
    if (!s.ok()) return options.ErrorAt("sql", s.message());
    auto topics = engine->InputTopics();
    for (const auto& input : ctx.inputs)
      if (std::find(topics.begin(), topics.end(), input) == topics.end())
        return options.ErrorAt("sql", "input stream '" + input +
                                          "' has no declaration: add CREATE STREAM " + input + " (...) WITH (KAFKA_TOPIC='" +
                                          input + "', VALUE_FORMAT='JSON');");
    if (engine->OutputTopics().empty())
      return options.ErrorAt("sql", "the SQL creates no output: add CREATE STREAM name AS SELECT ...");
    return std::unique_ptr<Processor>(std::make_unique<SqlProcessor>(std::move(engine), ctx.inputs));
  });
}

}  // namespace pipeline
