#include <doctest/doctest.h>

#include <thread>

#include "runtime/batch_queue.h"

using namespace pipeline;

TEST_SUITE("runtime.queue") {
  TEST_CASE("a full queue blocks the producer until the consumer takes") {
    BatchQueue q(2);
    std::atomic<int> pushed{0};
    std::thread producer([&] {
      for (int i = 0; i < 5; ++i) {
        auto b = std::make_shared<Batch>();
        b->records.resize(static_cast<size_t>(i));
        q.Push(Envelope{0, b});
        ++pushed;
      }
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK(pushed.load() <= 2);  // bounded: the producer waits
    for (int i = 0; i < 5; ++i) {
      Envelope e;
      REQUIRE(q.Pop(e, std::chrono::milliseconds(1000)));
      CHECK(e.batch->size() == static_cast<size_t>(i));  // FIFO for one producer
    }
    producer.join();
  }
  TEST_CASE("close wakes a blocked producer and fails later pushes") {
    BatchQueue q(1);
    q.Push(Envelope{0, std::make_shared<Batch>()});
    std::thread producer([&] { CHECK_FALSE(q.Push(Envelope{0, std::make_shared<Batch>()})); });
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    q.Close();
    producer.join();
    Envelope e;
    CHECK(q.Pop(e, std::chrono::milliseconds(10)));  // what was queued can still be taken
    CHECK_FALSE(q.Pop(e, std::chrono::milliseconds(10)));
  }
}
