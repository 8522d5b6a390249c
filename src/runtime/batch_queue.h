// BatchQueue: the bounded edge between stages. A lock-free MPSC ring (Boost.Lockfree, fixed capacity, no
// allocation after setup) plus a futex for blocking, so that a full queue blocks the producer: a slow sink slows
// its sources and memory stays bounded by capacity × batch size per edge. Waiters sleep in the kernel until the
// other side moves (not for a fixed time), so stages sharing one core hand batches over without idle gaps.
#pragma once

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <boost/lockfree/queue.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <climits>
#include <cstdint>
#include <ctime>
#include <thread>

#include "core/record.h"

namespace pipeline {

// What travels on an edge: a batch for input `input`, or (batch == nullptr) the end of that producer's stream.
struct Envelope {
  size_t input = 0;
  BatchPtr batch;
};

class BatchQueue {
 public:
  explicit BatchQueue(size_t capacity) : ring_(capacity), capacity_(capacity) {}
  ~BatchQueue() {
    Envelope* e;
    while (ring_.pop(e)) delete e;
  }

  enum class PushResult { kPushed, kTimedOut, kClosed };

  // Waits up to `timeout` for room. On kTimedOut the envelope is left in `envelope`, to push again later: a
  // source uses that to keep talking to its server while downstream is full.
  PushResult PushFor(Envelope& envelope, std::chrono::nanoseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    auto* e = new Envelope(std::move(envelope));
    for (int spins = 0;; ++spins) {
      uint32_t seen = version_.load(std::memory_order_acquire);
      if (closed_.load(std::memory_order_acquire)) {
        delete e;
        return PushResult::kClosed;
      }
      if (ring_.bounded_push(e)) break;
      if (spins < 64) {
        std::this_thread::yield();
        continue;
      }
      const auto now = std::chrono::steady_clock::now();
      if (now >= deadline) {
        envelope = std::move(*e);
        delete e;
        return PushResult::kTimedOut;
      }
      WaitFor(seen, std::min<std::chrono::nanoseconds>(deadline - now, std::chrono::milliseconds(100)));
    }
    depth_.fetch_add(1, std::memory_order_relaxed);
    Bump();
    return PushResult::kPushed;
  }

  // Blocks while full. Returns false (dropping the envelope) once the queue is closed.
  bool Push(Envelope envelope) {
    while (true) {
      PushResult r = PushFor(envelope, std::chrono::hours(1));
      if (r != PushResult::kTimedOut) return r == PushResult::kPushed;
    }
  }

  // Waits up to `timeout` for an envelope. False on timeout or when closed and empty.
  bool Pop(Envelope& out, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    for (int spins = 0;; ++spins) {
      uint32_t seen = version_.load(std::memory_order_acquire);
      Envelope* e;
      if (ring_.pop(e)) {
        out = std::move(*e);
        delete e;
        depth_.fetch_sub(1, std::memory_order_relaxed);
        Bump();
        return true;
      }
      auto now = std::chrono::steady_clock::now();
      if (closed_.load(std::memory_order_acquire) || now >= deadline) return false;
      if (spins < 64) {
        std::this_thread::yield();
        continue;
      }
      WaitFor(seen, deadline - now);
    }
  }

  // Wakes every waiter; later pushes fail. Remaining envelopes can still be popped.
  void Close() {
    closed_.store(true, std::memory_order_release);
    Bump();
  }

  size_t depth() const { return depth_.load(std::memory_order_relaxed); }
  size_t capacity() const { return capacity_; }

 private:
  void Bump() {
    version_.fetch_add(1, std::memory_order_seq_cst);
    if (waiters_.load(std::memory_order_seq_cst) > 0) Futex(FUTEX_WAKE_PRIVATE, INT_MAX, nullptr);
  }

  // Sleeps until version_ moves past `seen` or the timeout passes (std::atomic::wait has no timeout). A Bump
  // between reading `seen` and sleeping makes the kernel return at once, so no wake-up is lost.
  void WaitFor(uint32_t seen, std::chrono::nanoseconds timeout) {
    auto ns = std::max<int64_t>(timeout.count(), 0);
    timespec ts{static_cast<time_t>(ns / 1000000000), static_cast<long>(ns % 1000000000)};
    waiters_.fetch_add(1, std::memory_order_seq_cst);
    if (version_.load(std::memory_order_seq_cst) == seen) Futex(FUTEX_WAIT_PRIVATE, seen, &ts);
    waiters_.fetch_sub(1, std::memory_order_seq_cst);
  }

  void Futex(int op, uint32_t value, const timespec* timeout) {
    static_assert(sizeof(std::atomic<uint32_t>) == sizeof(uint32_t));
    ::syscall(SYS_futex, reinterpret_cast<uint32_t*>(&version_), op, value, timeout, nullptr, 0);
  }

  boost::lockfree::queue<Envelope*, boost::lockfree::fixed_sized<true>> ring_;
  size_t capacity_;
  std::atomic<uint32_t> version_{0};
  std::atomic<int> waiters_{0};
  std::atomic<bool> closed_{false};
  std::atomic<size_t> depth_{0};
};

}  // namespace pipeline
