// Running the stage graph: one thread per source, stage and sink; end-of-stream markers flow downstream; the
// first failure aborts acknowledgements (nothing after it counts as delivered) and stops everything.
#include <algorithm>
#include <chrono>
#include <thread>

#include "observability/log.h"
#include "observability/metrics.h"
#include "runtime/pipeline.h"

namespace pipeline {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPollInterval = std::chrono::milliseconds(100);
constexpr auto kCommitInterval = std::chrono::milliseconds(200);

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

void Add(Counter* c, int64_t n) {
  if (c) c->Add(n);
}

// Retries an operation that failed with a Retryable error (broker down, connection refused) with exponential
// backoff, saying so, until it succeeds, fails otherwise, or the pipeline stops.
template <class F>
Status RetryWhileRetryable(const std::string& what, const std::stop_token& stop, F&& op) {
  auto delay = std::chrono::milliseconds(100);
  while (true) {
    Status s = op();
    if (s.ok() || s.error().kind() != ErrorKind::kRetryable || stop.stop_requested()) return s;
    LogWarn("retrying", what + ": " + s.message() + "; retrying in " + std::to_string(delay.count()) + " ms");
    std::this_thread::sleep_for(delay);
    delay = std::min(delay * 2, std::chrono::milliseconds(10'000));
  }
}

}  // namespace

void Pipeline::Fail(const Error& error) {
  {
    std::lock_guard lock(failure_mu_);
    if (failure_) return;
    failure_ = error;
  }
  failed_ = true;
  for (auto& s : sources_) s->tracker->Abort();
  stop_.request_stop();
  for (auto& s : stages_) s->queue->Close();
  for (auto& s : sinks_) s->queue->Close();
}

void Pipeline::Stop() { stop_.request_stop(); }

void Pipeline::Publish(Stream& stream, BatchPtr batch) {
  for (size_t i = 0; i < stream.consumers.size(); ++i) {
    const Edge& e = stream.consumers[i];
    bool last = i + 1 == stream.consumers.size();
    e.queue->Push(Envelope{e.input, last ? std::move(batch) : batch});
  }
}

void Pipeline::PublishEnd(Stream& stream) {
  for (const Edge& e : stream.consumers) e.queue->Push(Envelope{e.input, nullptr});
}

Status Pipeline::Run() {
  checkpoints_ = std::make_unique<CheckpointStore>(options_.state_dir);
  for (auto& s : sinks_) {
    SinkContext ctx{s->config->name, options_.state_dir, options_.metrics, s->rejections};
    Status st = s->sink->Open(ctx);
    if (!st.ok()) return FatalError("sink " + s->config->name + ": " + st.message());
  }
  for (auto& s : stages_) {
    Status st = s->processor->Open(options_.state_dir, options_.metrics);
    if (!st.ok()) return FatalError("transform " + s->config->name + ": " + st.message());
  }
  {
    std::vector<std::jthread> threads;
    for (auto& s : sinks_) threads.emplace_back([this, n = s.get()] { RunSink(*n); });
    for (auto& s : stages_) threads.emplace_back([this, n = s.get()] { RunStage(*n); });
    for (auto& s : sources_) threads.emplace_back([this, n = s.get()] { RunSource(*n, stop_.get_token()); });
    if (sources_.empty()) ready_ = true;
  }  // joins every thread: sources end, then the end-of-stream markers drain stages and sinks
  ready_ = false;
  std::lock_guard lock(failure_mu_);
  if (failure_) return *failure_;
  return {};
}

void Pipeline::RunSource(SourceNode& n, std::stop_token stop) {
  const std::string& name = n.config->name;
  n.context.name = name;
  n.context.state_dir = options_.state_dir;
  n.context.checkpoints = checkpoints_.get();
  n.context.metrics = options_.metrics;
  n.context.wait_all_acked = [tracker = n.tracker](std::chrono::milliseconds t) { return tracker->WaitAllAcked(t); };
  Status opened = RetryWhileRetryable("source " + name, stop, [&] { return n.source->Open(n.context); });
  if (!opened.ok()) {
    Fail(FatalError("source " + name + ": " + opened.message()));
    PublishEnd(*n.out);
    return;
  }
  n.tracker->SetOrigin(name, n.source->StablePositions());
  if (++sources_open_ == static_cast<int>(sources_.size())) ready_ = true;

  uint64_t committed = 0;
  auto last_commit = Clock::now();
  auto commit = [&](bool force) {
    uint64_t through = n.tracker->AckedThrough();
    auto now = Clock::now();
    if (through > committed && (force || now - last_commit >= kCommitInterval)) {
      Status s = n.source->Commit(through);
      if (!s.ok()) return Fail(FatalError("source " + name + ": cannot commit its position: " + s.message()));
      committed = through;
      last_commit = now;
    }
    if (n.checkpoint_age)
      n.checkpoint_age->Set(std::chrono::duration_cast<std::chrono::seconds>(now - last_commit).count());
  };

  while (!stop.stop_requested() && !failed_) {
    Batch batch;
    Result<ReadStatus> r = n.source->Read(batch, stop);
    if (!r.ok() && r.error().kind() == ErrorKind::kRetryable) {
      LogWarn("source_retry", "source " + name + ": " + r.error().message() + "; retrying");
      std::this_thread::sleep_for(std::chrono::milliseconds(500));
      continue;
    }
    if (!r.ok()) {
      Fail(Error(r.error().kind(), "source " + name + ": " + r.error().message()));
      break;
    }
    if (!batch.records.empty()) {
      batch.acks.push_back(n.tracker->Issue());
      Add(n.metrics.in, static_cast<int64_t>(batch.size()));
      Status s = n.chain->Apply(batch);
      if (!s.ok()) {
        Fail(Error(s.error().kind(), "source " + name + ": " + s.message()));
        break;
      }
      Add(n.metrics.out, static_cast<int64_t>(batch.size()));
      if (!batch.records.empty()) Publish(*n.out, std::make_shared<Batch>(std::move(batch)));
    }
    commit(false);
    if (*r == ReadStatus::kEnd) break;
  }
  PublishEnd(*n.out);
  // Drain: the position after the last record is committed once every sink has flushed it.
  while (!failed_ && !n.tracker->AllAcked()) n.tracker->WaitAllAcked(kPollInterval);
  if (!failed_) commit(true);
  n.source->Close();
}

bool Pipeline::Consume(BatchQueue& queue, size_t producers, const StageMetrics& metrics,
                       std::chrono::milliseconds interval, const std::string& who,
                       const std::function<Status(Envelope&)>& on_batch, const std::function<Status()>& on_interval) {
  auto ok = [&](const Status& s) {
    if (!s.ok()) Fail(Error(s.error().kind(), who + ": " + s.message()));
    return s.ok();
  };
  size_t ended = 0;
  auto last_interval = Clock::now();
  while (ended < producers && !failed_) {
    Envelope e;
    if (queue.Pop(e, kPollInterval)) {
      if (metrics.queue_depth) metrics.queue_depth->Set(static_cast<int64_t>(queue.depth()));
      if (!e.batch) {
        ++ended;
        continue;
      }
      Add(metrics.in, static_cast<int64_t>(e.batch->size()));
      if (!ok(on_batch(e))) return false;
    }
    if (Clock::now() - last_interval >= interval) {
      last_interval = Clock::now();
      if (!ok(on_interval())) return false;
    }
  }
  return !failed_;
}

void Pipeline::RunStage(StageNode& n) {
  EmitFn emit = [&](size_t output, BatchPtr batch) {
    if (!batch || batch->empty() || output >= n.outs.size()) return;
    Add(n.metrics.out, static_cast<int64_t>(batch->size()));
    Publish(*n.outs[output], std::move(batch));
  };
  const std::string who = "transform " + n.config->name;
  bool drained = Consume(
      *n.queue, n.producers, n.metrics, kPollInterval, who,
      [&](Envelope& e) { return n.processor->Process(e.input, std::move(e.batch), emit); },
      [&] { return n.processor->Tick(NowMs(), emit); });
  if (drained) {
    Status s = n.processor->Finish(emit);
    if (!s.ok()) Fail(Error(s.error().kind(), who + ": " + s.message()));
  }
  for (Stream* out : n.outs) PublishEnd(*out);
}

void Pipeline::RunSink(SinkNode& n) {
  const std::string who = "sink " + n.config->name;
  // Records the sink rejected follow its on_error; their batches' tokens drop only once the dead letters are
  // durable. Rejections that failed the pipeline stay here until the end: dropped before Fail() aborts the
  // trackers, their tokens would count as delivered.
  std::vector<RejectedRecord> unsettled;
  auto settle = [&] { return n.chain->SettleRejections(*n.rejections, unsettled); };
  auto write = [&](Envelope& e) -> Status {
    BatchPtr batch = std::move(e.batch);
    if (!n.chain->empty()) {
      if (batch.use_count() > 1) batch = std::make_shared<Batch>(*batch);  // shared with another consumer
      PIPE_RETURN_IF_ERROR(n.chain->Apply(*batch));
    }
    if (batch->empty()) return {};
    int64_t count = static_cast<int64_t>(batch->size());
    PIPE_RETURN_IF_ERROR(RetryWhileRetryable(who, stop_.get_token(), [&] { return n.sink->Write(batch); }));
    Add(n.metrics.out, count);
    return settle();
  };
  auto flush = [&]() -> Status {
    PIPE_RETURN_IF_ERROR(RetryWhileRetryable(who, stop_.get_token(), [&] { return n.sink->Flush(); }));
    return settle();
  };
  if (Consume(*n.queue, n.producers, n.metrics, std::chrono::milliseconds(n.config->flush_interval_ms), who, write, flush)) {
    Status s = flush();
    if (!s.ok()) Fail(Error(s.error().kind(), who + ": " + s.message()));
  }
  n.sink->Close();
}

}  // namespace pipeline

namespace pipeline {

Pipeline::Totals Pipeline::totals() const {
  Totals t;
  for (const auto& s : sources_)
    if (s->metrics.in) t.read += s->metrics.in->value();
  for (const auto& s : sinks_)
    if (s->metrics.out) t.written += s->metrics.out->value();
  return t;
}

}  // namespace pipeline
