// The nodes of `urls` in turn; one that could not be reached is skipped for a while, unless all are.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace pipeline::elasticsearch {

class NodePool {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::seconds kSkipFor{30};

  explicit NodePool(std::vector<std::string> urls) : urls_(std::move(urls)), down_until_(urls_.size()) {}

  // The next node that is not skipped; when every node is, the one that comes back first.
  const std::string& Next(Clock::time_point now = Clock::now()) {
    size_t best = next_ % urls_.size();
    for (size_t tried = 0; tried < urls_.size(); ++tried) {
      size_t i = (next_ + tried) % urls_.size();
      if (down_until_[i] <= now) {
        best = i;
        break;
      }
      if (down_until_[i] < down_until_[best]) best = i;
    }
    next_ = best + 1;
    last_ = best;
    return urls_[best];
  }
  // The node Next() returned last did not answer.
  void MarkLastDown(Clock::time_point now = Clock::now()) { down_until_[last_] = now + kSkipFor; }
  const std::vector<std::string>& urls() const { return urls_; }

 private:
  std::vector<std::string> urls_;
  std::vector<Clock::time_point> down_until_;
  size_t next_ = 0;
  size_t last_ = 0;
};

}  // namespace pipeline::elasticsearch
