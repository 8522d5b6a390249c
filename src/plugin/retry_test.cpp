#include "plugin/retry.h"

#include <doctest/doctest.h>

#include <thread>

using namespace pipeline;
using namespace std::chrono_literals;

TEST_SUITE("plugin.retry") {
  TEST_CASE("backoff doubles from initial to max, drawn from the upper half of each step") {
    RetryPolicy p{100ms, 1000ms, std::nullopt};
    for (int i = 0; i < 50; ++i) {
      auto first = p.Backoff(1), third = p.Backoff(3), tenth = p.Backoff(10);
      CHECK(first >= 50ms);
      CHECK(first <= 100ms);
      CHECK(third >= 200ms);
      CHECK(third <= 400ms);
      CHECK(tenth >= 500ms);
      CHECK(tenth <= 1000ms);
    }
  }

  TEST_CASE("retryable errors are retried until success; others are returned at once") {
    RetryPolicy p{1ms, 2ms, std::nullopt};
    std::stop_source stop;
    int calls = 0, down = 0, up = 0;
    RetryObserver observer{[&](const Error&) { ++down; }, [&] { ++up; }};
    Status s = RunWithRetry(p, "test", stop.get_token(), [&]() -> Status {
      return ++calls < 4 ? RetryableError("connection refused") : Status{};
    }, &observer);
    CHECK(s.ok());
    CHECK(calls == 4);
    CHECK(down == 3);
    CHECK(up == 1);

    calls = 0;
    s = RunWithRetry(p, "test", stop.get_token(), [&]() -> Status {
      ++calls;
      return FatalError("fsync failed: EIO");
    });
    CHECK(!s.ok());
    CHECK(calls == 1);
  }

  TEST_CASE("max_elapsed ends the retries with the last error, saying so") {
    RetryPolicy p{5ms, 10ms, 50ms};
    std::stop_source stop;
    auto started = std::chrono::steady_clock::now();
    Status s = RunWithRetry(p, "test", stop.get_token(), [] { return Status(RetryableError("broker down")); });
    auto took = std::chrono::steady_clock::now() - started;
    REQUIRE(!s.ok());
    CHECK(s.error().kind() == ErrorKind::kFatal);
    CHECK(s.message().find("broker down") != std::string::npos);
    CHECK(s.message().find("retry.max_elapsed") != std::string::npos);
    CHECK(took >= 50ms);
    CHECK(took < 2s);
  }

  TEST_CASE("a stop request ends a long backoff at once") {
    RetryPolicy p{60s, 60s, std::nullopt};
    std::stop_source stop;
    std::thread stopper([&] {
      std::this_thread::sleep_for(50ms);
      stop.request_stop();
    });
    auto started = std::chrono::steady_clock::now();
    Status s = RunWithRetry(p, "test", stop.get_token(), [] { return Status(RetryableError("down")); });
    stopper.join();
    CHECK(!s.ok());
    CHECK(std::chrono::steady_clock::now() - started < 2s);
  }
}
