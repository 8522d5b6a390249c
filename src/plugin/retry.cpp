#include "plugin/retry.h"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <random>

#include "observability/log.h"

namespace pipeline {

std::chrono::milliseconds RetryPolicy::Backoff(int failures) const {
  using std::chrono::milliseconds;
  milliseconds cap = std::max(max_backoff, initial_backoff);
  milliseconds d = initial_backoff;
  for (int i = 1; i < failures && d < cap; ++i) d *= 2;
  d = std::min(d, cap);
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_int_distribution<int64_t> half(d.count() / 2, std::max<int64_t>(d.count(), 1));
  return milliseconds(half(rng));
}

bool SleepUnlessStopped(std::chrono::milliseconds d, const std::stop_token& stop) {
  std::mutex mu;
  std::condition_variable_any cv;
  std::unique_lock lock(mu);
  return !cv.wait_for(lock, stop, d, [] { return false; }) && !stop.stop_requested();
}

namespace {

std::string Seconds(std::chrono::milliseconds d) {
  return d.count() % 1000 == 0 ? std::to_string(d.count() / 1000) + " s" : std::to_string(d.count()) + " ms";
}

}  // namespace

Status RetryLoop::Failed(const Error& error, const std::stop_token& stop) {
  using Clock = std::chrono::steady_clock;
  if (failures_++ == 0) first_failure_ = Clock::now();
  if (observer_ && observer_->retrying) observer_->retrying(error);
  if (stop.stop_requested()) return error;
  auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - first_failure_);
  if (policy_.max_elapsed && elapsed >= *policy_.max_elapsed)
    return Error(ErrorKind::kFatal, error.message() + " (gave up after retrying for " + Seconds(elapsed) +
                                        ": retry.max_elapsed)");
  auto wait = policy_.Backoff(failures_);
  if (policy_.max_elapsed) wait = std::min(wait, *policy_.max_elapsed - elapsed);
  LogWarn("retrying", what_ + ": " + error.message() + "; retrying in " + std::to_string(wait.count()) + " ms");
  if (!SleepUnlessStopped(wait, stop)) return error;
  return {};
}

void RetryLoop::Succeeded() {
  if (failures_ == 0) return;
  LogInfo("recovered", what_ + ": recovered after " + std::to_string(failures_) + " failed attempts");
  if (observer_ && observer_->recovered) observer_->recovered();
  failures_ = 0;
}

Status RunWithRetry(const RetryPolicy& policy, const std::string& what, const std::stop_token& stop,
                    const std::function<Status()>& op, const RetryObserver* observer) {
  RetryLoop loop(policy, what, observer);
  while (true) {
    Status s = op();
    if (s.ok() || s.error().kind() != ErrorKind::kRetryable) {
      loop.Succeeded();
      return s;
    }
    PIPE_RETURN_IF_ERROR(loop.Failed(s.error(), stop));
  }
}

}  // namespace pipeline
