#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "runtime/transform_chain.h"

namespace pipeline {
namespace {

// Remembers what was written and, at each Sync, whether the source's batch was already acknowledged.
class RecordingQueue : public DeadLetterQueue {
 public:
  explicit RecordingQueue(std::shared_ptr<AckTracker> tracker) : tracker_(std::move(tracker)) {}
  Status Write(const DeadLetter& letter) override {
    written.push_back(letter.record->value.ToString() + ": " + letter.error.message());
    stages.push_back(std::string(FailedStageName(letter.stage)));
    return {};
  }
  Status Sync() override {
    ++syncs;
    acked_at_sync = tracker_->AckedThrough();
    return fail_sync ? FatalError("disk full") : Status();
  }
  std::string Describe() const override { return "recording"; }

  std::vector<std::string> written, stages;
  int syncs = 0;
  uint64_t acked_at_sync = 99;
  bool fail_sync = false;

 private:
  std::shared_ptr<AckTracker> tracker_;
};

BatchPtr BatchOf(std::shared_ptr<AckTracker>& tracker, int n) {
  auto batch = std::make_shared<Batch>();
  for (int i = 0; i < n; ++i) batch->records.emplace_back().value = Value(int64_t{i});
  batch->acks.push_back(tracker->Issue());
  return batch;
}

TransformChain ChainFor(OnError policy, std::shared_ptr<DeadLetterQueue> queue) {
  return TransformChain("out", {}, policy, policy == OnError::kDeadLetter ? std::move(queue) : nullptr);
}

}  // namespace

TEST_SUITE("runtime.sink_rejections") {
  TEST_CASE("rejected records are dead-lettered with one sync, before their batch is acknowledged") {
    auto tracker = std::make_shared<AckTracker>();
    auto queue = std::make_shared<RecordingQueue>(tracker);
    TransformChain chain = ChainFor(OnError::kDeadLetter, queue);
    RecordRejections rejections;
    BatchPtr batch = BatchOf(tracker, 5);
    rejections.Reject(*batch, 1, DataError("bulk item error"));
    rejections.Reject(*batch, 3, DataError("constraint violated"));
    batch.reset();  // the sink delivered the rest and let go of the batch
    CHECK(tracker->AckedThrough() == 0);  // the rejections still hold its token

    std::vector<RejectedRecord> unsettled;
    REQUIRE(chain.SettleRejections(rejections, unsettled).ok());
    CHECK(queue->written == std::vector<std::string>{"1: bulk item error", "3: constraint violated"});
    CHECK(queue->stages == std::vector<std::string>{"sink", "sink"});
    CHECK(queue->syncs == 1);              // one fsync per batch of dead letters
    CHECK(queue->acked_at_sync == 0);      // synced before the acknowledgement ...
    CHECK(tracker->AckedThrough() == 1);   // ... which followed it
    CHECK(unsettled.empty());
  }

  TEST_CASE("a failed sync keeps the batch unacknowledged") {
    auto tracker = std::make_shared<AckTracker>();
    auto queue = std::make_shared<RecordingQueue>(tracker);
    queue->fail_sync = true;
    TransformChain chain = ChainFor(OnError::kDeadLetter, queue);
    RecordRejections rejections;
    rejections.Reject(*BatchOf(tracker, 2), 0, DataError("no"));
    std::vector<RejectedRecord> unsettled;
    CHECK(!chain.SettleRejections(rejections, unsettled).ok());
    CHECK(unsettled.size() == 1);
    CHECK(tracker->AckedThrough() == 0);
  }

  TEST_CASE("on_error fail names the record and keeps it unacknowledged; skip acknowledges at once") {
    auto tracker = std::make_shared<AckTracker>();
    RecordRejections rejections;
    rejections.Reject(*BatchOf(tracker, 3), 2, DataError("HTTP 400"));
    std::vector<RejectedRecord> unsettled;
    TransformChain fail = ChainFor(OnError::kFail, nullptr);
    Status s = fail.SettleRejections(rejections, unsettled);
    REQUIRE(!s.ok());
    CHECK(s.message().find("HTTP 400") != std::string::npos);
    CHECK(s.message().find("\"value\":2") != std::string::npos);
    CHECK(tracker->AckedThrough() == 0);

    TransformChain skip = ChainFor(OnError::kSkip, nullptr);
    rejections.Reject(*BatchOf(tracker, 1), 0, DataError("HTTP 400"));
    std::vector<RejectedRecord> none;
    REQUIRE(skip.SettleRejections(rejections, none).ok());
    unsettled.clear();
    CHECK(tracker->AckedThrough() == 2);
  }
}

}  // namespace pipeline
