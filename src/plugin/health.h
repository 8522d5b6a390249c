// ConnectorHealth: how a source or sink tells the runtime it cannot reach its server (every Kafka broker down, a
// database refusing connections) and when it is back. /readyz answers 503 while any connector of the running
// pipeline is down or retrying, and its body names which and why; /healthz stays about the process.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace pipeline {

// The pipeline's board: one line per connector that is down. Thread-safe.
class HealthBoard {
 public:
  void Down(const std::string& who, const std::string& why) {
    std::lock_guard lock(mu_);
    down_[who] = why;
  }
  void Up(const std::string& who) {
    std::lock_guard lock(mu_);
    down_.erase(who);
  }
  // "source orders: all brokers are down", sorted by name; empty while everything is connected.
  std::vector<std::string> Problems() const {
    std::lock_guard lock(mu_);
    std::vector<std::string> out;
    for (const auto& [who, why] : down_) out.push_back(who + ": " + why);
    return out;
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::string> down_;
};

// One connector's handle on the board ("source orders", "sink search"). A default-constructed one reports
// nowhere (unit tests that drive a connector by hand).
class ConnectorHealth {
 public:
  ConnectorHealth() = default;
  ConnectorHealth(std::shared_ptr<HealthBoard> board, std::string who) : board_(std::move(board)), who_(std::move(who)) {}
  void Down(const std::string& why) const {
    if (board_) board_->Down(who_, why);
  }
  void Up() const {
    if (board_) board_->Up(who_);
  }

 private:
  std::shared_ptr<HealthBoard> board_;
  std::string who_;
};

}  // namespace pipeline
