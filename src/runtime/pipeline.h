// Pipeline: a built stage graph. Sources, stages (SQL, SMT) and sinks each run on their own thread and exchange
// batches through bounded BatchQueues. A source's position is committed only once every sink that received its
// records has flushed them (AckTracker); a finite pipeline ends by itself after flushing.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <set>
#include <memory>
#include <mutex>
#include <string>
#include <optional>
#include <stop_token>
#include <thread>
#include <vector>

#include "config/pipeline_config.h"
#include "core/ack.h"
#include "plugin/processor.h"
#include "plugin/sink.h"
#include "plugin/source.h"
#include "runtime/batch_queue.h"
#include "runtime/checkpoint_store.h"
#include "runtime/position_ledger.h"
#include "runtime/transform_chain.h"

namespace pipeline {

class MetricsRegistry;
class Counter;
class TapPoint;
class TapRegistry;

struct RuntimeOptions {
  std::string state_dir;
  MetricsRegistry* metrics = nullptr;
  TapRegistry* taps = nullptr;  // `pipe tap`: every stream gets its point (observability/tap.h)
};

class Pipeline {
 public:
  ~Pipeline();
  Pipeline(const Pipeline&) = delete;
  Pipeline& operator=(const Pipeline&) = delete;
  // Builds every component (no I/O: nothing is opened or connected) and checks the stream references.
  static Result<std::unique_ptr<Pipeline>> Build(const config::PipelineConfig& config, const RuntimeOptions& options,
                                                 config::Diagnostics& diags);

  // The stage graph as text, Graphviz dot or Mermaid.
  std::string Explain(const std::string& format) const;

  // Runs until every source ended and all was flushed, Stop() was called (graceful), or a stage failed.
  Status Run();
  // Graceful stop: sources stop reading, in-flight records drain, sinks flush, positions are committed.
  void Stop();
  bool ready() const { return ready_.load(); }
  // True once every sink and source opened, for good: a pipeline that failed before could not start at all.
  bool became_ready() const { return became_ready_.load(); }
  const config::PipelineConfig& config() const { return config_; }
  // Why /readyz should answer 503: the pipeline is starting, or a connector is down or retrying (one line each,
  // naming it). Empty when ready.
  std::vector<std::string> NotReady() const;
  bool finite() const;
  // Records read by all sources and written by all sinks so far (for progress lines).
  struct Totals {
    int64_t read = 0;
    int64_t written = 0;
  };
  Totals totals() const;
  size_t source_count() const { return sources_.size(); }
  size_t stage_count() const { return stages_.size(); }
  size_t sink_count() const { return sinks_.size(); }
  // What `pipe tap` can watch: every source's stream and every transform output something reads (a stage need not
  // produce an output nobody reads: Processor::SetUnreadOutputs).
  std::vector<std::string> stream_names() const;

 private:
  struct Edge {
    BatchQueue* queue;
    size_t input;
  };
  struct Stream {
    std::string name;
    std::string producer;
    std::vector<Edge> consumers;
    TapPoint* tap = nullptr;  // null without a TapRegistry
  };
  struct StageMetrics {
    Counter* in = nullptr;
    Counter* out = nullptr;
    Counter* failed = nullptr;
    Counter* queue_depth = nullptr;
  };
  struct SourceNode {
    const config::ComponentConfig* config;
    std::unique_ptr<Source> source;
    std::unique_ptr<TransformChain> chain;
    std::shared_ptr<AckTracker> tracker;
    PositionLedger ledger;  // source thread only
    Stream* out = nullptr;
    StageMetrics metrics;
    Counter* checkpoint_age = nullptr;
    SourceContext context;
  };
  struct StageNode {
    const config::ComponentConfig* config;
    std::unique_ptr<Processor> processor;
    std::unique_ptr<BatchQueue> queue;
    std::vector<std::string> inputs;
    std::vector<Stream*> outs;
    size_t producers = 0;
    StageMetrics metrics;
  };
  struct SinkNode {
    const config::ComponentConfig* config;
    std::unique_ptr<Sink> sink;
    std::unique_ptr<TransformChain> chain;  // also settles the records the sink rejects (its on_error)
    std::shared_ptr<RecordRejections> rejections = std::make_shared<RecordRejections>();
    std::unique_ptr<BatchQueue> queue;
    size_t producers = 0;
    StageMetrics metrics;
  };

  Pipeline() = default;
  Status BuildNodes(const RuntimeOptions& options, config::Diagnostics& diags);
  // What the consumers of a stream read of its record values (the union over every consumer, see FieldDemand).
  FieldDemand StreamDemand(const std::string& stream, std::vector<std::string>& visiting) const;
  void PushDownDemands();
  // Stages learn which of their outputs nobody reads (Processor::SetUnreadOutputs).
  void TellUnreadOutputs();
  void Connect(const std::string& consumer, const std::vector<std::string>& inputs,
               const std::vector<Location>& locations, BatchQueue* queue, size_t& producers,
               config::Diagnostics& diags);
  void InitMetrics();

  // Has the source of `input` read from its beginning for `stage` (Processor::InputsToReplayFromStart), or says
  // why that cannot be done without repeating records elsewhere.
  Status ReplayFromStart(const StageNode& stage, const std::string& input);
  // The names of what reads `stream` (transforms and sinks), for messages.
  std::vector<std::string> ConsumerNames(const Stream& stream) const;
  void RunSource(SourceNode& node, std::stop_token stop);
  void WireSourceContext(SourceNode& node);
  // Hands a source's batch to every consumer of its stream. While one is full, calls `while_blocked` (the
  // source's Service() and commits) about every 100 ms. False if the source failed meanwhile.
  bool PublishFromSource(SourceNode& node, BatchPtr batch, const std::function<bool()>& while_blocked);
  void RunStage(StageNode& node);
  void RunSink(SinkNode& node);
  // The key columns of the SQL table rows in these streams (SinkContext::key_columns): empty unless the streams
  // that are tables agree on them.
  std::vector<std::string> KeyColumnsOf(const std::vector<std::string>& streams) const;
  // Pops `queue` until each of its producers ended or the pipeline failed: every batch goes to on_batch, and
  // on_interval runs every `interval`. The first error of either fails the pipeline, named after `who`; then false.
  bool Consume(BatchQueue& queue, size_t producers, const StageMetrics& metrics, std::chrono::milliseconds interval,
               const std::string& who, const std::function<Status(Envelope&)>& on_batch,
               const std::function<Status()>& on_interval);
  void Publish(Stream& stream, BatchPtr batch);
  // Copies the records a tap samples to it; the caller checked `stream.tap->active()` (nobody tapping costs that).
  static void TapBatch(const Stream& stream, const Batch& batch);
  void PublishEnd(Stream& stream);
  void Fail(const Error& error);
  // Marks `who` down on the health board while its operation is retried, up again once it succeeds.
  RetryObserver HealthObserver(const std::string& who);

  config::PipelineConfig config_;
  RuntimeOptions options_;
  std::unique_ptr<CheckpointStore> checkpoints_;
  std::map<std::string, Stream> streams_;
  // The streams components that failed to build would have produced: their own error is reported, and a
  // consumer of them gets no second, misleading "no source or transform produces" error.
  std::set<std::string> unbuilt_streams_;
  std::vector<std::unique_ptr<SourceNode>> sources_;
  std::vector<std::unique_ptr<StageNode>> stages_;
  std::vector<std::unique_ptr<SinkNode>> sinks_;
  std::stop_source stop_;
  std::shared_ptr<HealthBoard> health_ = std::make_shared<HealthBoard>();

  std::mutex failure_mu_;
  std::optional<Error> failure_;
  std::atomic<bool> failed_{false};
  std::atomic<bool> ready_{false};
  std::atomic<bool> became_ready_{false};
  std::atomic<int> sources_open_{0};
  // Sources wait on this until every sink is open (or the pipeline stops): RunSink counts and notifies.
  std::mutex sinks_open_mu_;
  std::condition_variable_any sinks_opened_;
  int sinks_open_ = 0;
};

}  // namespace pipeline
