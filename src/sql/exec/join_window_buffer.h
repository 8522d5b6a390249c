// The rows one side of a stream-stream join keeps: per join key, in arrival order, with two indexes by time over
// all keys. Rows are dropped once stream time passes their retention, whether or not their key comes back (as
// Kafka Streams' windowed stores drop whole segments once stream time passes window size plus grace), so state is
// bounded by the window even when keys are nearly unique; both indexes make that cost O(rows expired).
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <queue>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/value.h"
#include "sql/exec/row.h"

namespace pipeline::sql {

class JoinWindowBuffer {
 public:
  struct Buffered {
    Row row;
    bool matched = false;
    bool pending_outer = false;  // unmatched outer row waiting for its window to close (GRACE semantics)
    uint64_t seq = 0;            // arrival number, to find the row again from the outer-row index
  };

  // `retention`: how long after its rowtime a row can still join; `outer_delay`: how long after its rowtime an
  // unmatched outer row waits before it is emitted alone (the window after it plus grace).
  JoinWindowBuffer(int64_t retention, int64_t outer_delay) : retention_(retention), outer_delay_(outer_delay) {}

  std::deque<Buffered>* Find(const std::string& key);
  void Add(const std::string& key, Buffered row);
  // Drops every row older than retention at `stream_time`, across all keys. Rows still waiting as outer rows stay
  // (TakeClosedOuter first: their wait is shorter than retention).
  void Expire(int64_t stream_time);
  // Hands the unmatched outer rows whose wait ended before `stream_time` to `emit`, oldest first, once each.
  void TakeClosedOuter(int64_t stream_time, const std::function<void(const Buffered&)>& emit);
  size_t size() const { return rows_; }

  // [[key bytes, [[row, matched, pending_outer], ...]], ...]; the indexes are built again on restore.
  Value Save() const;
  void Restore(const Value& state);

 private:
  struct Due {
    int64_t at;
    uint64_t seq;
    std::string key;
    bool operator>(const Due& other) const { return at != other.at ? at > other.at : seq > other.seq; }
  };
  using DueQueue = std::priority_queue<Due, std::vector<Due>, std::greater<Due>>;

  void Index(const std::string& key, const Buffered& row);

  int64_t retention_;
  int64_t outer_delay_;
  std::unordered_map<std::string, std::deque<Buffered>> by_key_;
  DueQueue expiry_;     // every row, by rowtime + retention
  DueQueue outer_due_;  // rows added as pending outer rows, by rowtime + outer delay
  uint64_t next_seq_ = 0;
  size_t rows_ = 0;
};

}  // namespace pipeline::sql
