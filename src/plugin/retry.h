// RetryPolicy: one policy for every source and sink (`retry: {initial_backoff, max_backoff, max_elapsed}`),
// applied by the runtime to connecting, reading, writing and flushing when an error is Retryable (a broker down,
// a refused connection, HTTP 429/503), and usable by connectors for their own requests. Exponential backoff with
// jitter; by default it retries until the pipeline stops. Errors of other kinds (a failed fsync, EIO, a rejected
// credential, a bad record) are never retried.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <stop_token>
#include <string>

#include "core/result.h"

namespace pipeline {

struct RetryPolicy {
  std::chrono::milliseconds initial_backoff{100};
  std::chrono::milliseconds max_backoff{10'000};
  std::optional<std::chrono::milliseconds> max_elapsed;  // none: until the pipeline stops

  // The wait before attempt n+1 (n = 1 after the first failure): initial * 2^(n-1), capped at max_backoff, then
  // drawn uniformly from its upper half (so that many clients retrying one server do not retry in step).
  std::chrono::milliseconds Backoff(int failures) const;
};

// Told when an operation starts failing and when it recovers (for /readyz and the logs).
struct RetryObserver {
  std::function<void(const Error& last)> retrying;
  std::function<void()> recovered;
};

// Sleeps `d`, or less when `stop` is requested. Returns false when stopped.
bool SleepUnlessStopped(std::chrono::milliseconds d, const std::stop_token& stop);

// The state of one operation being retried, for loops that cannot hand the operation over as a function (a
// source's Read, which also yields records).
class RetryLoop {
 public:
  RetryLoop(const RetryPolicy& policy, std::string what, const RetryObserver* observer = nullptr)
      : policy_(policy), what_(std::move(what)), observer_(observer) {}
  // After a Retryable failure: logs it, waits the backoff and returns ok to try again; or returns the error to
  // fail with, when `stop` was requested or max_elapsed has passed since the first failure.
  Status Failed(const Error& error, const std::stop_token& stop);
  // The operation succeeded (or failed in a way that is not retried): the next failure starts a new series.
  void Succeeded();

 private:
  RetryPolicy policy_;
  std::string what_;
  const RetryObserver* observer_;
  int failures_ = 0;
  std::chrono::steady_clock::time_point first_failure_;
};

// Runs `op` until it succeeds, fails with an error that is not Retryable, `stop` is requested (the last error
// is returned) or max_elapsed has passed since the first failure (the last error, saying how long it retried).
// `what` names the operation in the log line of each retry.
Status RunWithRetry(const RetryPolicy& policy, const std::string& what, const std::stop_token& stop,
                    const std::function<Status()>& op, const RetryObserver* observer = nullptr);

}  // namespace pipeline
