// BatchQueue: the bounded edge between stages. A lock-free MPSC ring (Boost.Lockfree, fixed capacity, no
// allocation after setup) plus C++20 atomic wait/notify for blocking, so that a full queue blocks the producer:
// a slow sink slows its sources and memory stays bounded by capacity × batch size per edge.
#pragma once

#include <boost/lockfree/queue.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
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

  // Blocks while full. Returns false (dropping the envelope) once the queue is closed.
  bool Push(Envelope envelope) {
    auto* e = new Envelope(std::move(envelope));
    for (int spins = 0;; ++spins) {
      uint32_t seen = version_.load(std::memory_order_acquire);
      if (closed_.load(std::memory_order_acquire)) {
        delete e;
        return false;
      }
      if (ring_.bounded_push(e)) break;
      if (spins < 64) {
        std::this_thread::yield();
        continue;
      }
      version_.wait(seen, std::memory_order_acquire);
    }
    depth_.fetch_add(1, std::memory_order_relaxed);
    Bump();
    return true;
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
      if (closed_.load(std::memory_order_acquire) || std::chrono::steady_clock::now() >= deadline) return false;
      if (spins < 64) {
        std::this_thread::yield();
        continue;
      }
      // atomic::wait has no timeout: sleep briefly instead once the producer is clearly idle.
      std::this_thread::sleep_for(std::chrono::microseconds(200));
      (void)seen;
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
    version_.fetch_add(1, std::memory_order_release);
    version_.notify_all();
  }

  boost::lockfree::queue<Envelope*, boost::lockfree::fixed_sized<true>> ring_;
  size_t capacity_;
  std::atomic<uint32_t> version_{0};
  std::atomic<bool> closed_{false};
  std::atomic<size_t> depth_{0};
};

}  // namespace pipeline
