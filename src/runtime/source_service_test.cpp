// The runtime's side of the source contract, through a whole pipeline: a source blocked behind a full queue is
// serviced (its keepalives answered) and keeps committing; batches of progress alone move its position while
// nothing flows.
#include <doctest/doctest.h>

#include <atomic>
#include <thread>

#include "config/pipeline_config.h"
#include "plugin/registry.h"
#include "runtime/pipeline.h"

namespace pipeline {
namespace {

struct Observed {
  std::atomic<int> service_calls{0};
  std::atomic<int> service_calls_while_gate_closed{0};
  std::atomic<int64_t> committed{-1};  // the lane's last committed resume position
  std::atomic<bool> gate_open{false};
  std::atomic<int> written{0};
};
Observed observed;

// Emits 40 records in batches of 10 (positions 0..39), then, while idle, progress alone: a keepalive's position
// that grows by one per Read, as a PostgreSQL source's LSN does while the captured tables are quiet.
class KeepaliveSource : public Source {
 public:
  Status Open(SourceContext&) override {
    lane_ = Lanes::Intern("keepalive-test");
    return {};
  }
  Result<ReadStatus> Read(Batch& out, std::stop_token) override {
    if (next_ < 40) {
      for (int i = 0; i < 10; ++i, ++next_) out.records.push_back(Record{.position = {lane_, next_, 0}});
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      ++next_;
    }
    out.progress.push_back({lane_, next_, 0});
    return next_ <= 40 ? ReadStatus::kMore : ReadStatus::kIdle;
  }
  Status Commit(const LanePositions& acked) override {
    if (auto it = acked.find(lane_); it != acked.end()) observed.committed = it->second.major;
    return {};
  }
  Status Service(std::stop_token) override {
    ++observed.service_calls;
    if (!observed.gate_open) ++observed.service_calls_while_gate_closed;
    return {};
  }
  void Close() override {}

 private:
  LaneId lane_ = kNoLane;
  int64_t next_ = 0;
};

// Holds every write until the test opens the gate: a sink whose target stopped answering.
class GateSink : public Sink {
 public:
  Status Open(SinkContext&) override { return {}; }
  Status Write(BatchPtr batch) override {
    while (!observed.gate_open) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    observed.written += static_cast<int>(batch->size());
    return {};
  }
  Status Flush() override { return {}; }
  void Close() override {}
};

// A target that refuses connections for its first three attempts, then takes everything.
std::atomic<int> flaky_open_attempts{0};
std::atomic<int> flaky_written{0};
class FlakyOpenSink : public Sink {
 public:
  Status Open(SinkContext&) override {
    if (++flaky_open_attempts <= 3) return RetryableError("connection refused");
    return {};
  }
  Status Write(BatchPtr batch) override {
    flaky_written += static_cast<int>(batch->size());
    return {};
  }
  Status Flush() override { return {}; }
  void Close() override {}
};

// Emits 100 records, then ends.
class CountingSource : public Source {
 public:
  Status Open(SourceContext&) override { return {}; }
  Result<ReadStatus> Read(Batch& out, std::stop_token) override {
    if (next_ >= 100) return ReadStatus::kEnd;
    for (int i = 0; i < 10; ++i, ++next_) out.records.push_back(Record{.offset = next_});
    return ReadStatus::kMore;
  }
  Status Commit(const LanePositions&) override { return {}; }
  void Close() override {}

 private:
  int64_t next_ = 0;
};

void RegisterTestComponents() {
  static bool done = [] {
    ComponentSpec counting;
    counting.type = "test_counting";
    RegistryForTests().AddSource(counting, [](const Options&, const BuildContext&) -> Result<std::unique_ptr<Source>> {
      return std::unique_ptr<Source>(new CountingSource);
    });
    ComponentSpec flaky;
    flaky.type = "test_flaky_open";
    RegistryForTests().AddSink(flaky, [](const Options&, const BuildContext&) -> Result<std::unique_ptr<Sink>> {
      return std::unique_ptr<Sink>(new FlakyOpenSink);
    });
    ComponentSpec source;
    source.type = "test_keepalive";
    RegistryForTests().AddSource(source, [](const Options&, const BuildContext&) -> Result<std::unique_ptr<Source>> {
      return std::unique_ptr<Source>(new KeepaliveSource);
    });
    ComponentSpec sink;
    sink.type = "test_gate";
    RegistryForTests().AddSink(sink, [](const Options&, const BuildContext&) -> Result<std::unique_ptr<Sink>> {
      return std::unique_ptr<Sink>(new GateSink);
    });
    return true;
  }();
  (void)done;
}

std::unique_ptr<Pipeline> BuildPipeline(const std::string& yaml) {
  config::Diagnostics diags;
  auto config = config::LoadPipelineText(yaml, "test.yaml", {}, diags);
  REQUIRE_MESSAGE(config.ok(), diags.Joined());
  auto pipeline = Pipeline::Build(*config, RuntimeOptions{}, diags);
  REQUIRE_MESSAGE(pipeline.ok(), diags.Joined());
  return std::move(*pipeline);
}

template <class Pred>
bool WaitFor(Pred pred, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (!pred() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  return pred();
}

}  // namespace

TEST_SUITE("runtime.sources") {
  TEST_CASE("a source blocked by a full queue is serviced, and progress alone commits while nothing flows") {
    RegisterTestComponents();
    auto pipeline = BuildPipeline(
        "settings: {queue_capacity: 1}\n"
        "sources:\n  ka: {type: test_keepalive}\n"
        "sinks:\n  gate: {type: test_gate, inputs: [ka]}\n");
    std::thread run([&] { CHECK(pipeline->Run().ok()); });

    // The sink holds the first batch, the queue takes the second: the source waits with the third, serviced about
    // every 100 ms (waited for, not slept on: under ThreadSanitizer on a loaded machine 600 ms saw only 3).
    CHECK(WaitFor([] { return observed.service_calls_while_gate_closed >= 4; }, std::chrono::seconds(5)));
    CHECK(observed.committed.load() == -1);                 // nothing delivered, nothing committed

    observed.gate_open = true;
    CHECK(WaitFor([] { return observed.written == 40; }, std::chrono::seconds(5)));
    // Then the keepalive positions alone move the committed position past the last record's.
    CHECK(WaitFor([] { return observed.committed.load() > 45; }, std::chrono::seconds(5)));
    pipeline->Stop();
    run.join();
  }

  TEST_CASE("a sink whose target is down at start is retried under its policy, named by /readyz, then delivers") {
    RegisterTestComponents();
    flaky_open_attempts = 0;
    auto pipeline = BuildPipeline(
        "sources:\n  n: {type: test_counting}\n"
        "sinks:\n  target: {type: test_flaky_open, inputs: [n], retry: {initial_backoff: 100ms, max_backoff: 200ms}}\n");
    std::vector<std::string> seen_not_ready;
    std::thread run([&] { CHECK(pipeline->Run().ok()); });
    CHECK(WaitFor([&] { return flaky_open_attempts >= 2; }, std::chrono::seconds(5)));
    seen_not_ready = pipeline->NotReady();
    run.join();
    CHECK(flaky_open_attempts == 4);
    CHECK(flaky_written == 100);
    bool named = false;
    for (const auto& line : seen_not_ready) named |= line.find("sink target: retrying: connection refused") == 0;
    CHECK_MESSAGE(named, "not ready lines did not name the sink");
  }

  TEST_CASE("retry.max_elapsed fails the pipeline with the last error") {
    RegisterTestComponents();
    flaky_open_attempts = -1000;  // never comes up within the test
    auto pipeline = BuildPipeline(
        "sources:\n  n: {type: test_counting}\n"
        "sinks:\n  target: {type: test_flaky_open, inputs: [n], retry: {initial_backoff: 10ms, max_elapsed: 300ms}}\n");
    Status s = pipeline->Run();
    REQUIRE(!s.ok());
    CHECK(s.message().find("sink target: connection refused (gave up after retrying for") == 0);
  }
}

}  // namespace pipeline
