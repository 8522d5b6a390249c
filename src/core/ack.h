// Acknowledgements. A source numbers each batch it emits and hands out an AckToken for it; the token travels
// with the batch (and with every batch derived from it) and completes when the last copy is dropped, i.e. when
// every sink that received those records has flushed them. The tracker reports the highest sequence number
// below which every batch completed: only that position may be checkpointed (at-least-once).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>

namespace pipeline {

class AckTracker;

class AckNode {
 public:
  AckNode(std::shared_ptr<AckTracker> tracker, uint64_t seq) : tracker_(std::move(tracker)), seq_(seq) {}
  ~AckNode();
  AckNode(const AckNode&) = delete;
  AckNode& operator=(const AckNode&) = delete;
  const AckTracker& tracker() const { return *tracker_; }

 private:
  std::shared_ptr<AckTracker> tracker_;
  uint64_t seq_;
};

using AckToken = std::shared_ptr<AckNode>;

class AckTracker : public std::enable_shared_from_this<AckTracker> {
 public:
  // A token for the next batch; sequence numbers start at 1.
  AckToken Issue() {
    uint64_t seq = issued_.fetch_add(1) + 1;
    return std::make_shared<AckNode>(shared_from_this(), seq);
  }
  uint64_t issued() const { return issued_.load(); }
  // Every batch with sequence <= the returned number has completed (0 = none yet).
  uint64_t AckedThrough() const { return acked_through_.load(); }
  bool AllAcked() const { return AckedThrough() == issued(); }

  // Where the batches come from, set before the first Issue(): the source's name, and whether a record's
  // (topic, partition, offset) names the same record again when the source replays from a checkpoint.
  void SetOrigin(std::string source_name, bool stable_positions) {
    origin_ = std::move(source_name);
    stable_positions_ = stable_positions;
  }
  const std::string& origin() const { return origin_; }
  bool stable_positions() const { return stable_positions_; }

  // Called with the new AckedThrough() each time it advances, on the thread that completed the batch, outside the
  // tracker's lock (calls from two threads may arrive out of order). Set before the first Issue().
  void OnProgress(std::function<void(uint64_t)> fn) { on_progress_ = std::move(fn); }

  // After a failure the pipeline tears down; tokens dropped from then on must not count as delivered.
  void Abort() { aborted_.store(true); }
  bool aborted() const { return aborted_.load(); }

  // Blocks until every issued token completed or the timeout passed; true if all completed.
  template <class Duration>
  bool WaitAllAcked(Duration timeout) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return acked_through_.load() == issued_.load(); });
  }

 private:
  friend class AckNode;
  void Complete(uint64_t seq) {
    if (aborted_.load()) return;
    uint64_t through = 0;
    {
      std::lock_guard lock(mu_);
      through = acked_through_.load();
      if (seq != through + 1) {
        pending_.insert(seq);
        return;
      }
      through = seq;
      while (!pending_.empty() && *pending_.begin() == through + 1) {
        through = *pending_.begin();
        pending_.erase(pending_.begin());
      }
      acked_through_.store(through);
      cv_.notify_all();
    }
    if (on_progress_) on_progress_(through);
  }

  std::atomic<uint64_t> issued_{0};
  std::atomic<uint64_t> acked_through_{0};
  std::atomic<bool> aborted_{false};
  std::mutex mu_;
  std::condition_variable cv_;
  std::set<uint64_t> pending_;  // completed out of order, waiting for a gap to close
  std::string origin_;
  bool stable_positions_ = false;
  std::function<void(uint64_t)> on_progress_;
};

inline AckNode::~AckNode() { tracker_->Complete(seq_); }

}  // namespace pipeline
