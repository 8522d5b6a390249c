#include <doctest/doctest.h>

#include "core/ack.h"

using namespace pipeline;

TEST_SUITE("core.ack") {
  TEST_CASE("acked-through advances only over contiguous completions") {
    auto tracker = std::make_shared<AckTracker>();
    AckToken a = tracker->Issue(), b = tracker->Issue(), c = tracker->Issue();
    b.reset();
    CHECK(tracker->AckedThrough() == 0);  // 1 is still open
    a.reset();
    CHECK(tracker->AckedThrough() == 2);
    CHECK_FALSE(tracker->AllAcked());
    c.reset();
    CHECK(tracker->AckedThrough() == 3);
    CHECK(tracker->AllAcked());
  }
  TEST_CASE("a token shared by several batches completes when the last copy goes") {
    auto tracker = std::make_shared<AckTracker>();
    AckToken a = tracker->Issue();
    AckToken copy = a;
    a.reset();
    CHECK(tracker->AckedThrough() == 0);
    copy.reset();
    CHECK(tracker->AckedThrough() == 1);
  }
  TEST_CASE("after Abort, dropped tokens do not count as delivered") {
    auto tracker = std::make_shared<AckTracker>();
    AckToken a = tracker->Issue();
    tracker->Abort();
    a.reset();
    CHECK(tracker->AckedThrough() == 0);
  }
}
