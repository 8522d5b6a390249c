#include "observability/tap.h"

#include <algorithm>
#include <utility>

#include "core/suggest.h"

namespace pipeline {

Tap::Tap(std::vector<std::string> streams, uint64_t one_in, size_t capacity_bytes)
    : streams_(std::move(streams)), one_in_(std::max<uint64_t>(one_in, 1)), capacity_bytes_(capacity_bytes) {}

void Tap::Push(std::string line) {
  std::lock_guard lock(mu_);
  if (buffer_.size() + line.size() + 1 > capacity_bytes_) {
    ++dropped_;
    return;
  }
  buffer_ += line;
  buffer_ += '\n';
}

uint64_t Tap::Take(std::string& out) {
  std::lock_guard lock(mu_);
  if (out.empty()) {
    out.swap(buffer_);
  } else {
    out += buffer_;
    buffer_.clear();
  }
  return std::exchange(dropped_, 0);
}

std::vector<std::shared_ptr<Tap>> TapPoint::taps() const {
  std::lock_guard lock(mu_);
  return taps_;
}

TapPoint* TapRegistry::Point(const std::string& name) {
  std::lock_guard lock(mu_);
  auto& point = points_[name];
  if (!point) point = std::make_unique<TapPoint>();
  return point.get();
}

void TapRegistry::SetStreams(std::vector<std::string> names) {
  std::lock_guard lock(mu_);
  streams_ = std::move(names);
}

std::vector<std::string> TapRegistry::streams() const {
  std::lock_guard lock(mu_);
  return streams_;
}

Result<std::shared_ptr<Tap>> TapRegistry::Attach(const std::vector<std::string>& streams, uint64_t one_in) {
  std::lock_guard lock(mu_);
  if (streams.empty()) return ConfigError("name at least one stream");
  std::vector<std::string> unique;
  for (const std::string& name : streams)
    if (std::find(unique.begin(), unique.end(), name) == unique.end()) unique.push_back(name);
  for (const std::string& name : unique) {
    if (std::find(streams_.begin(), streams_.end(), name) != streams_.end()) continue;
    std::string known;
    for (const std::string& s : streams_) known += (known.empty() ? "" : ", ") + s;
    return ConfigError("no stream '" + name + "' in the running pipeline" + DidYouMean(name, streams_) +
                       "; its streams: " + (known.empty() ? "none" : known));
  }
  if (attached_ >= kMaxTaps)
    return RetryableError(std::to_string(kMaxTaps) + " taps are attached already; try again once one ends");
  auto tap = std::make_shared<Tap>(unique, one_in, kTapBufferBytes);
  for (const std::string& name : unique) {
    auto& point = points_[name];
    if (!point) point = std::make_unique<TapPoint>();
    std::lock_guard point_lock(point->mu_);
    point->taps_.push_back(tap);
    point->active_.store(static_cast<int>(point->taps_.size()), std::memory_order_relaxed);
  }
  ++attached_;
  return tap;
}

void TapRegistry::Detach(const std::shared_ptr<Tap>& tap) {
  std::lock_guard lock(mu_);
  for (const std::string& name : tap->streams()) {
    auto it = points_.find(name);
    if (it == points_.end()) continue;
    TapPoint& point = *it->second;
    std::lock_guard point_lock(point.mu_);
    std::erase(point.taps_, tap);
    point.active_.store(static_cast<int>(point.taps_.size()), std::memory_order_relaxed);
  }
  --attached_;
}

}  // namespace pipeline
