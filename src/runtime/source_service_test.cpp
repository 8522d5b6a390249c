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

void RegisterTestComponents() {
  static bool done = [] {
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
    config::Diagnostics diags;
    auto config = config::LoadPipelineText(
        "settings: {queue_capacity: 1}\n"
        "sources:\n  ka: {type: test_keepalive}\n"
        "sinks:\n  gate: {type: test_gate, inputs: [ka]}\n",
        "keepalive.yaml", {}, diags);
    REQUIRE_MESSAGE(config.ok(), diags.Joined());
    auto pipeline = Pipeline::Build(*config, RuntimeOptions{}, diags);
    REQUIRE_MESSAGE(pipeline.ok(), diags.Joined());
    std::thread run([&] { CHECK((*pipeline)->Run().ok()); });

    // The sink holds the first batch, the queue takes the second: the source waits with the third.
    std::this_thread::sleep_for(std::chrono::milliseconds(600));
    CHECK(observed.service_calls_while_gate_closed >= 4);  // about every 100 ms
    CHECK(observed.committed.load() == -1);                 // nothing delivered, nothing committed

    observed.gate_open = true;
    CHECK(WaitFor([] { return observed.written == 40; }, std::chrono::seconds(5)));
    // Then the keepalive positions alone move the committed position past the last record's.
    CHECK(WaitFor([] { return observed.committed.load() > 45; }, std::chrono::seconds(5)));
    (*pipeline)->Stop();
    run.join();
  }
}

}  // namespace pipeline
