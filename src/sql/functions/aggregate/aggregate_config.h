// Engine properties that change aggregate behaviour (ksql.functions.collect_list.limit, ...). The binder
// signature carries no properties, so the planner installs them for the duration of a bind.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace pipeline::sql {

class ScopedAggregateProperties {
 public:
  explicit ScopedAggregateProperties(const std::map<std::string, std::string>* p) : prev_(current_) { current_ = p; }
  ~ScopedAggregateProperties() { current_ = prev_; }
  static int64_t GetInt(const std::string& key, int64_t fallback) {
    if (!current_) return fallback;
    auto it = current_->find(key);
    return it == current_->end() ? fallback : std::atoll(it->second.c_str());
  }

 private:
  const std::map<std::string, std::string>* prev_;
  static inline thread_local const std::map<std::string, std::string>* current_ = nullptr;
};

}  // namespace pipeline::sql
