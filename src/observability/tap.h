// Taps: `pipe tap` watching the records of named streams of a running pipeline (GET /tap on the --http endpoint).
//
// The registry lives as long as the process (across reloads) and holds one TapPoint per stream name. A stream's
// hot path asks its point `active()`, one relaxed atomic load, and does nothing more while nobody taps. A tap is
// one client: a bounded buffer of NDJSON lines that pipeline threads fill and the HTTP thread drains. When the
// client reads too slowly the buffer is full and lines are dropped and counted: a tap never holds a stage back.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/result.h"

namespace pipeline {

class Tap {
 public:
  // one_in: keep one record in this many (1 = every record), counted over all the streams the tap watches.
  Tap(std::vector<std::string> streams, uint64_t one_in, size_t capacity_bytes);
  const std::vector<std::string>& streams() const { return streams_; }
  // Pipeline threads: whether the next record offered is kept.
  bool Sampled() { return seen_.fetch_add(1, std::memory_order_relaxed) % one_in_ == 0; }
  // Pipeline threads: one line without its newline. Dropped (and counted) when the buffer is full.
  void Push(std::string line);
  // HTTP thread: appends the buffered lines, each ending in a newline, to `out`; returns how many lines were
  // dropped since the last call.
  uint64_t Take(std::string& out);

 private:
  std::vector<std::string> streams_;
  uint64_t one_in_;
  size_t capacity_bytes_;
  std::atomic<uint64_t> seen_{0};
  std::mutex mu_;
  std::string buffer_;  // NDJSON
  uint64_t dropped_ = 0;
};

// The hook in one stream's path.
class TapPoint {
 public:
  bool active() const { return active_.load(std::memory_order_relaxed) != 0; }
  // The taps watching this stream; call only when active() (takes a lock).
  std::vector<std::shared_ptr<Tap>> taps() const;

 private:
  friend class TapRegistry;
  std::atomic<int> active_{0};
  mutable std::mutex mu_;
  std::vector<std::shared_ptr<Tap>> taps_;
};

class TapRegistry {
 public:
  static constexpr size_t kMaxTaps = 8;
  static constexpr size_t kTapBufferBytes = 4 << 20;

  // The point of stream `name`, created on first use; it lives as long as the registry.
  TapPoint* Point(const std::string& name);
  // The streams of the pipeline now running (what Attach accepts).
  void SetStreams(std::vector<std::string> names);
  std::vector<std::string> streams() const;
  // A ConfigError naming an unknown stream (with the ones that exist, and did-you-mean), or a RetryableError when
  // kMaxTaps clients tap already.
  Result<std::shared_ptr<Tap>> Attach(const std::vector<std::string>& streams, uint64_t one_in);
  void Detach(const std::shared_ptr<Tap>& tap);

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<TapPoint>> points_;
  std::vector<std::string> streams_;
  size_t attached_ = 0;
};

}  // namespace pipeline
