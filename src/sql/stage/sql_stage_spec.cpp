// The `sql` stage's options, and the stage made from them (sql_stage.cpp runs it).
#include <algorithm>
#include <filesystem>

#include "plugin/dead_letter.h"
#include "plugin/registry.h"
#include "sql/stage/sql_stage.h"
#include "sql/stage/stage_task.h"

namespace pipeline {

using sql::SqlStageSettings;

namespace {

// on_error and dead_letter_path are keys every stage accepts (config/common_keys.h; the loader checked them). A
// SQL stage's default is skip, not fail: ksqlDB logs a record it cannot use and goes on
// (ksql.fail.on.deserialization.error is false by default), and so does a pipeline without on_error.
Result<std::pair<OnError, std::shared_ptr<DeadLetterQueue>>> ErrorPolicyOf(const Options& options,
                                                                          const BuildContext& ctx) {
  OnError policy = OnError::kSkip;
  if (options.Has("on_error")) policy = ParseOnError(options.GetString("on_error")).value_or(OnError::kSkip);
  if (policy != OnError::kDeadLetter) return std::pair{policy, std::shared_ptr<DeadLetterQueue>()};
  std::string target = options.GetString("dead_letter_path");
  if (DeadLetterScheme(target).empty() && std::filesystem::path(target).is_relative())
    target = (std::filesystem::path(ctx.pipeline_dir) / target).string();
  auto queue = OpenDeadLetterQueue(target);
  if (!queue.ok()) return options.ErrorAt("dead_letter_path", queue.error().message());
  return std::pair{policy, std::move(*queue)};
}

}  // namespace

void RegisterSqlStage(Registry& registry, ScaleOutFactory make_scale_out) {
  ComponentSpec spec;
  spec.type = "sql";
  spec.kind = ComponentKind::kStage;
  spec.summary =
      "Runs ksqlDB-dialect streaming SQL over pipeline streams. An input record the statements cannot use "
      "(undecodable for its declared schema or format, or dropped because of an error such as a NULL GROUP BY key) "
      "follows on_error: skip, the default as in ksqlDB (logged and counted in pipe_sql_processing_errors_total), "
      "fail (the error names the record) or dead_letter (an envelope with stage sql, the error and the input "
      "record, appended to dead_letter_path). A record that goes on with a NULL (a bad cast) is logged and counted "
      "only.";
  spec.options = {
      {"sql", OptionType::kString,
       "ksqlDB statements. Declare each input with CREATE STREAM x (...) WITH (KAFKA_TOPIC='x', VALUE_FORMAT='JSON'); "
       "every CREATE STREAM/TABLE ... AS SELECT becomes an output stream named after it (lower case).",
       "", true},
      {"properties", OptionType::kMap, "Engine properties as ksqlDB names them (e.g. ksql.functions.collect_list.limit). A table's changes "
       "are passed on as the last update per key of each input batch, like ksqlDB's record cache; "
       "ksql.streams.cache.max.bytes.buffering: 0 passes on every update. State (tables, aggregates, joins) is saved "
       "in the state dir every ksql.streams.commit.interval.ms (default 2000)."},
      {"topics_from_records", OptionType::kBool,
       "Feed each record to the SQL topic its Kafka topic names (KAFKA_TOPIC of a CREATE STREAM/TABLE) instead of the "
       "topic named after its input stream: one kafka source reading several topics, such as both sides of a join, "
       "which keeps their partitions together when scaled out (range assignor). Records of a topic no statement "
       "reads are processing errors.",
       "false"},
      {"on_state_change", OptionType::kEnum,
       "When the statements changed since the state was saved, so that the saved state cannot be used: rebuild "
       "(read the inputs again from their beginning into a new state; what the records the previous statements had "
       "already taken make is not emitted again, so sinks get no repeats; the inputs must be sources that can "
       "be read again, a file or a Kafka topic, read by this transform only, else the run fails saying so), empty "
       "(start from empty state and go on from the saved positions) or fail (stop and say so). A hot reload follows "
       "the same rule. A scaled-out stage cannot rebuild: it fails unless this is empty.",
       "rebuild", false, {"rebuild", "empty", "fail"}},
      {"scale_out", OptionType::kAny,
       "Share GROUP BY and join state between pipe processes through Kafka, as ksqlDB does: {bootstrap_servers, "
       "topic_prefix (default pipe-<name>), group_id (default the prefix), properties}. Changes go through the "
       "topic <prefix>-repartition keyed by group or join key (both sides of a join, so the inputs need not be "
       "co-partitioned); each process aggregates and joins the partitions its group gives it and saves their "
       "state to the same partitions of <prefix>-changelog, from which the next owner restores it. A table read "
       "from an input keeps its rows per input partition the same way. Foreign-key table joins are refused. "
       "Create both topics beforehand, the changelog with at least as many partitions as the inputs and the "
       "repartition topic."},
  };
  spec.example =
      "transforms:\n"
      "  big_orders:\n"
      "    type: sql\n"
      "    inputs: [orders]\n"
      "    sql: |\n"
      "      CREATE STREAM orders (id INT KEY, amount DOUBLE) WITH (KAFKA_TOPIC='orders', VALUE_FORMAT='JSON');\n"
      "      CREATE STREAM big AS SELECT id, amount FROM orders WHERE amount > 100;\n";
  registry.AddStage(std::move(spec), [make_scale_out](const Options& options, const BuildContext& ctx)
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
    auto made = sql::MakeEngine(settings);
    if (!made.ok()) return options.ErrorAt("sql", made.error().message());
    auto engine = std::move(*made);
    Result<std::unique_ptr<ScaleOut>> scale_out = std::unique_ptr<ScaleOut>();
    if (make_scale_out) scale_out = make_scale_out(options.Raw("scale_out"), ctx.name);
    else if (options.Has("scale_out")) return options.ErrorAt("scale_out", "this build cannot scale a stage out");
    if (!scale_out.ok()) return options.ErrorAt("scale_out", scale_out.error().message());
    const std::string repartitioned = RepartitionInput(ctx.name);
    // The pipeline rewrites add the repartition stream (src/builtin.cpp); without it (`pipe test`) the stage runs
    // whole.
    if (*scale_out && std::count(ctx.inputs.begin(), ctx.inputs.end(), repartitioned)) {
      settings.scale_out = std::move(*scale_out);
      if (auto problem = engine->ScaleOutProblem()) return options.ErrorAt("scale_out", *problem);
    }
    settings.topics_from_records = options.GetBool("topics_from_records");
    const std::string on_state_change = options.GetString("on_state_change");
    settings.on_state_change = on_state_change == "empty" ? sql::OnStateChange::kEmpty
                               : on_state_change == "fail" ? sql::OnStateChange::kFail
                                                           : sql::OnStateChange::kRebuild;
    auto policy = ErrorPolicyOf(options, ctx);
    if (!policy.ok()) return policy.error();
    std::tie(settings.on_error, settings.dead_letters) = std::move(*policy);
    auto topics = engine->InputTopics();
    for (const auto& input : ctx.inputs)
      if (!settings.topics_from_records && input != repartitioned &&
          std::find(topics.begin(), topics.end(), input) == topics.end())
        return options.ErrorAt("sql", "input stream '" + input +
                                          "' has no declaration: add CREATE STREAM " + input + " (...) WITH (KAFKA_TOPIC='" +
                                          input + "', VALUE_FORMAT='JSON');");
    if (engine->OutputTopics().empty())
      return options.ErrorAt("sql", "the SQL creates no output: add CREATE STREAM name AS SELECT ...");
    return MakeSqlProcessor(std::move(settings), std::move(engine), ctx.inputs);
  });
}

}  // namespace pipeline
