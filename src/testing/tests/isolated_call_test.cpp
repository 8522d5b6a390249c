#include "testing/isolated_call.h"

#include <doctest/doctest.h>

#include <csignal>
#include <thread>

namespace pipeline::testing {

TEST_SUITE("testing") {
  TEST_CASE("isolated call: the child's return value comes back") {
    auto outcome = RunIsolated([] { return std::string("P") + std::string(100000, 'x'); }, std::chrono::seconds(10));
    CHECK(outcome.completed);
    CHECK(outcome.payload.size() == 100001);
  }
  TEST_CASE("isolated call: a crash or a hang costs only the child") {
    auto crashed = RunIsolated(
        []() -> std::string {
          std::raise(SIGSEGV);
          return "unreachable";
        },
        std::chrono::seconds(10));
    CHECK_FALSE(crashed.completed);
    CHECK(crashed.failure.rfind("crashed: signal 11", 0) == 0);
    auto hung = RunIsolated(
        [] {
          std::this_thread::sleep_for(std::chrono::seconds(30));
          return std::string();
        },
        std::chrono::milliseconds(200));
    CHECK_FALSE(hung.completed);
    CHECK(hung.failure.rfind("timed out", 0) == 0);
    auto threw = RunIsolated([]() -> std::string { throw std::runtime_error("boom"); }, std::chrono::seconds(10));
    CHECK_FALSE(threw.completed);
    CHECK(threw.failure == "exception: boom");
  }
}

}  // namespace pipeline::testing
