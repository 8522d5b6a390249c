// Running the stage graph: one thread per source, stage and sink; end-of-stream markers flow downstream; the
// first failure aborts acknowledgements (nothing after it counts as delivered) and stops everything.
#include <algorithm>
#include <chrono>
#include <thread>

#include "formats/dead_letter_envelope.h"
#include "formats/json.h"
#include "observability/log.h"
#include "observability/metrics.h"
#include "observability/tap.h"
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

// A line is the record as `metadata: true` writes it, with the stream's name as a first field.
void Pipeline::TapBatch(const Stream& stream, const Batch& batch) {
  std::string prefix = "{\"stream\":";
  AppendJsonString(stream.name, prefix);
  prefix += ',';
  for (const auto& tap : stream.tap->taps()) {
    for (const Record& record : batch.records) {
      if (!tap->Sampled()) continue;
      std::string line = prefix;
      AppendRecordEnvelope(record, line);
      line.erase(prefix.size(), 1);  // the envelope's own '{'
      tap->Push(std::move(line));
    }
  }
}

void Pipeline::Publish(Stream& stream, BatchPtr batch) {
  if (stream.tap && stream.tap->active()) TapBatch(stream, *batch);
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
  for (auto& s : stages_) {
    Status st = s->processor->Open(options_.state_dir, options_.metrics);
    if (!st.ok()) return FatalError("transform " + s->config->name + ": " + st.message());
    for (const std::string& input : s->processor->InputsToReplayFromStart())
      PIPE_RETURN_IF_ERROR(ReplayFromStart(*s, input));
  }
  {
    std::vector<std::jthread> threads;
    for (auto& s : sinks_) threads.emplace_back([this, n = s.get()] { RunSink(*n); });
    for (auto& s : stages_) threads.emplace_back([this, n = s.get()] { RunStage(*n); });
    for (auto& s : sources_) threads.emplace_back([this, n = s.get()] { RunSource(*n, stop_.get_token()); });
    if (sources_.empty()) ready_ = became_ready_ = true;
  }  // joins every thread: sources end, then the end-of-stream markers drain stages and sinks
  ready_ = false;
  std::lock_guard lock(failure_mu_);
  if (failure_) return *failure_;
  return {};
}

Status Pipeline::ReplayFromStart(const StageNode& stage, const std::string& input) {
  const std::string cannot = "transform " + stage.config->name +
                             ": its statements changed, so its state is rebuilt from the beginning of its inputs "
                             "(on_state_change: rebuild), but ";
  const std::string what_to_do =
      ". Set on_state_change: empty to go on from the saved positions with empty state, or start the whole "
      "pipeline over with pipe reset";
  auto source = std::find_if(sources_.begin(), sources_.end(), [&](const auto& s) { return s->out->name == input; });
  if (source == sources_.end())
    return FatalError(cannot + "its input '" + input + "' is made by another transform, which cannot replay it" +
                      what_to_do);
  SourceNode& n = **source;
  if (!n.source->ReplaysFromStart())
    return FatalError(cannot + "source '" + input + "' (type " + n.config->type +
                      ") cannot be read again from its beginning" + what_to_do);
  std::vector<std::string> others = ConsumerNames(*n.out);
  std::erase(others, "transform " + stage.config->name);
  if (!others.empty())
    return FatalError(cannot + "source '" + input + "' also feeds " + others.front() +
                      ", which would receive its records again" + what_to_do);
  n.context.from_start = true;
  LogInfo("source_replays_from_start", "source " + input + ": reading from its beginning again for transform " +
                                           stage.config->name + ", whose state is being rebuilt");
  return {};
}

std::vector<std::string> Pipeline::ConsumerNames(const Stream& stream) const {
  std::vector<std::string> names;
  for (const Edge& e : stream.consumers) {
    for (const auto& s : stages_)
      if (s->queue.get() == e.queue) names.push_back("transform " + s->config->name);
    for (const auto& s : sinks_)
      if (s->queue.get() == e.queue) names.push_back("sink " + s->config->name);
  }
  return names;
}

void Pipeline::WireSourceContext(SourceNode& n) {
  n.context.name = n.config->name;
  n.context.state_dir = options_.state_dir;
  n.context.checkpoints = checkpoints_.get();
  n.context.metrics = options_.metrics;
  n.context.health = ConnectorHealth(health_, "source " + n.config->name);
  n.context.wait_all_acked = [tracker = n.tracker](std::chrono::milliseconds t) { return tracker->WaitAllAcked(t); };
  n.context.acknowledged = [&n]() -> const LanePositions& {
    n.ledger.Acknowledge(n.tracker->AckedThrough());
    return n.ledger.acknowledged();
  };
  n.context.forget_lanes = [&n](const std::vector<LaneId>& lanes) { n.ledger.Forget(lanes); };
}

bool Pipeline::PublishFromSource(SourceNode& n, BatchPtr batch, const std::function<bool()>& while_blocked) {
  if (n.out->tap && n.out->tap->active()) TapBatch(*n.out, *batch);
  const auto& consumers = n.out->consumers;
  for (size_t i = 0; i < consumers.size(); ++i) {
    Envelope e{consumers[i].input, i + 1 == consumers.size() ? std::move(batch) : batch};
    while (true) {
      auto pushed = consumers[i].queue->PushFor(e, kPollInterval);
      if (pushed == BatchQueue::PushResult::kClosed) break;  // the pipeline failed: nothing counts any more
      if (pushed == BatchQueue::PushResult::kPushed) break;
      if (!while_blocked()) return false;
    }
  }
  return true;
}

void Pipeline::RunSource(SourceNode& n, std::stop_token stop) {
  const std::string& name = n.config->name;
  WireSourceContext(n);
  // Sinks open first, as they always did: an exactly-once Kafka sink must claim its source's offsets before the
  // source could commit any itself.
  {
    std::unique_lock lock(sinks_open_mu_);  // Fail() requests stop, which ends the wait too
    sinks_opened_.wait(lock, stop, [&] { return sinks_open_ == static_cast<int>(sinks_.size()); });
  }
  if (failed_ || stop.stop_requested()) {
    PublishEnd(*n.out);
    return;
  }
  const std::string who = "source " + name;
  RetryObserver observer = HealthObserver(who);
  Status opened = RunWithRetry(n.config->retry, who, stop, [&] { return n.source->Open(n.context); }, &observer);
  if (!opened.ok()) {
    Fail(FatalError("source " + name + ": " + opened.message()));
    PublishEnd(*n.out);
    return;
  }
  n.tracker->SetOrigin(name, n.source->StablePositions());
  if (++sources_open_ == static_cast<int>(sources_.size())) ready_ = became_ready_ = true;

  // The ledger moves when acknowledgements arrive; Commit() is called at most every kCommitInterval (and once
  // more at the end) with every lane's acknowledged resume position.
  bool uncommitted = false;
  auto last_commit = Clock::now();
  auto commit = [&](bool force) {
    if (n.ledger.Acknowledge(n.tracker->AckedThrough())) uncommitted = true;
    auto now = Clock::now();
    if (uncommitted && (force || now - last_commit >= kCommitInterval)) {
      Status s = n.source->Commit(n.ledger.acknowledged());
      if (!s.ok()) return Fail(FatalError("source " + name + ": cannot commit its position: " + s.message()));
      uncommitted = false;
      last_commit = now;
    }
    if (n.checkpoint_age)
      n.checkpoint_age->Set(std::chrono::duration_cast<std::chrono::seconds>(now - last_commit).count());
  };
  // Downstream is full: the source keeps its connection alive and commits what was acknowledged meanwhile.
  auto while_blocked = [&] {
    Status s = n.source->Service(stop);
    if (!s.ok()) Fail(Error(s.error().kind(), "source " + name + ": " + s.message()));
    if (!failed_) commit(false);
    return !failed_;
  };

  RetryLoop read_retry(n.config->retry, who, &observer);
  // A bad record (a DataError from Read) ends the source, but the records read before it are delivered first:
  // the batch Read filled up to it goes on, the stream ends, and the pipeline fails once they are acknowledged.
  std::optional<Error> bad_record;
  while (!stop.stop_requested() && !failed_) {
    Batch batch;
    Result<ReadStatus> r = n.source->Read(batch, stop);
    if (!r.ok() && r.error().kind() == ErrorKind::kRetryable) {
      Status again = read_retry.Failed(r.error(), stop);
      if (again.ok() || stop.stop_requested()) continue;
      Fail(Error(again.error().kind(), who + ": " + again.message()));
      break;
    }
    read_retry.Succeeded();
    if (!r.ok() && r.error().kind() == ErrorKind::kData) {
      bad_record = Error(ErrorKind::kData, "source " + name + ": " + r.error().message());
    } else if (!r.ok()) {
      Fail(Error(r.error().kind(), "source " + name + ": " + r.error().message()));
      break;
    }
    if (!batch.records.empty() || !batch.progress.empty()) {
      // A batch of progress alone gets its token too: dropped at once, it completes when everything before it did.
      batch.acks.push_back(n.tracker->Issue());
      n.ledger.Seal(n.tracker->issued(), std::move(batch.progress));
      batch.progress.clear();
    }
    if (!batch.records.empty()) {
      Add(n.metrics.in, static_cast<int64_t>(batch.size()));
      Status s = n.chain->Apply(batch);
      if (!s.ok()) {
        Fail(Error(s.error().kind(), "source " + name + ": " + s.message()));
        break;
      }
      Add(n.metrics.out, static_cast<int64_t>(batch.size()));
      if (!batch.records.empty() && !PublishFromSource(n, std::make_shared<Batch>(std::move(batch)), while_blocked))
        break;
    }
    commit(false);
    if (bad_record || *r == ReadStatus::kEnd) break;
  }
  PublishEnd(*n.out);
  // Drain: what the sinks acknowledge meanwhile is committed as it comes (a sink that fails later must not take
  // back what it had made durable), and the position after the last record once every sink has flushed it.
  while (!failed_ && !n.tracker->AllAcked()) {
    n.tracker->WaitAllAcked(kPollInterval);
    if (!failed_) commit(false);
  }
  if (!failed_) commit(true);
  if (bad_record) Fail(*bad_record);
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
    // Ends seen without a stop request come from exhausted sources: the input is complete.
    Status s = stop_.stop_requested() ? Status{} : n.processor->EndOfInput(emit);
    if (s.ok()) s = n.processor->Finish(emit);
    if (!s.ok()) Fail(Error(s.error().kind(), who + ": " + s.message()));
  }
  for (Stream* out : n.outs) PublishEnd(*out);
}

std::vector<std::string> Pipeline::KeyColumnsOf(const std::vector<std::string>& streams) const {
  std::vector<std::string> agreed;
  for (const std::string& name : streams) {
    for (const auto& stage : stages_) {
      for (size_t i = 0; i < stage->outs.size(); ++i) {
        if (stage->outs[i]->name != name) continue;
        std::vector<std::string> keys = stage->processor->OutputKeyColumns(i);
        if (keys.empty()) continue;
        if (!agreed.empty() && agreed != keys) return {};
        agreed = std::move(keys);
      }
    }
  }
  return agreed;
}

void Pipeline::RunSink(SinkNode& n) {
  const std::string who = "sink " + n.config->name;
  const std::stop_token stop = stop_.get_token();
  RetryObserver observer = HealthObserver(who);
  auto retried = [&](const std::function<Status()>& op) { return RunWithRetry(n.config->retry, who, stop, op, &observer); };
  SinkContext ctx{n.config->name, options_.state_dir, options_.metrics, stop, ConnectorHealth(health_, who),
                  n.rejections, KeyColumnsOf(n.config->inputs)};
  // A target down at start is retried like one that goes down later; sources read meanwhile until the queues
  // are full.
  Status opened = retried([&] { return n.sink->Open(ctx); });
  if (!opened.ok()) {
    Fail(Error(opened.error().kind(), who + ": " + opened.message()));
    return;
  }
  {
    std::lock_guard lock(sinks_open_mu_);
    ++sinks_open_;
  }
  sinks_opened_.notify_all();
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
    PIPE_RETURN_IF_ERROR(retried([&] { return n.sink->Write(batch); }));
    Add(n.metrics.out, count);
    return settle();
  };
  auto flush = [&]() -> Status {
    PIPE_RETURN_IF_ERROR(retried([&] { return n.sink->Flush(); }));
    return settle();
  };
  if (Consume(*n.queue, n.producers, n.metrics, std::chrono::milliseconds(n.config->flush_interval_ms), who, write, flush)) {
    Status s = flush();  // a full disk at the very end is waited out like one during the run
    if (!s.ok()) Fail(Error(s.error().kind(), who + ": " + s.message()));
  }
  n.sink->Close();
}

RetryObserver Pipeline::HealthObserver(const std::string& who) {
  return RetryObserver{[board = health_, who](const Error& e) { board->Down(who, "retrying: " + e.message()); },
                       [board = health_, who] { board->Up(who); }};
}

std::vector<std::string> Pipeline::NotReady() const {
  std::vector<std::string> out;
  if (!ready_) out.push_back("the pipeline is starting: not every source is open yet");
  for (auto& problem : health_->Problems()) out.push_back(std::move(problem));
  return out;
}

}  // namespace pipeline

namespace pipeline {

std::vector<std::string> Pipeline::stream_names() const {
  std::vector<std::string> names;
  for (const auto& [name, stream] : streams_) {
    bool from_source = std::any_of(sources_.begin(), sources_.end(), [&](const auto& s) { return s->out == &stream; });
    if (from_source || !stream.consumers.empty()) names.push_back(name);
  }
  return names;
}

Pipeline::Totals Pipeline::totals() const {
  Totals t;
  for (const auto& s : sources_)
    if (s->metrics.in) t.read += s->metrics.in->value();
  for (const auto& s : sinks_)
    if (s->metrics.out) t.written += s->metrics.out->value();
  return t;
}

}  // namespace pipeline
