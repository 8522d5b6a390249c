// Metrics: named counters and gauges with labels, rendered in Prometheus text format on /metrics.
// Counters are atomics: increment from any thread; look them up once at setup, not per record.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace pipeline {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void Add(int64_t n = 1) { value_.fetch_add(n, std::memory_order_relaxed); }
  void Set(int64_t v) { value_.store(v, std::memory_order_relaxed); }  // for gauges
  int64_t value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> value_{0};
};

class MetricsRegistry {
 public:
  // name: "pipe_records_in_total"; help: one line; gauge: rendered as TYPE gauge.
  Counter* GetCounter(const std::string& name, const Labels& labels, const std::string& help = "");
  Counter* GetGauge(const std::string& name, const Labels& labels, const std::string& help = "");
  std::string RenderPrometheus() const;

  // A function run before each rendering, for gauges best read when asked (a Kafka source's lag: its thread may be
  // blocked on a full queue). It may call GetGauge/GetCounter. Returns an id for RemoveCollector, which waits out a
  // rendering that is running it.
  uint64_t AddCollector(std::function<void()> collect);
  void RemoveCollector(uint64_t id);

 private:
  struct Family {
    std::string help;
    bool gauge = false;
    std::map<Labels, std::unique_ptr<Counter>> series;
  };
  Counter* Get(const std::string& name, const Labels& labels, const std::string& help, bool gauge);
  mutable std::mutex mu_;
  std::map<std::string, Family> families_;
  mutable std::mutex collectors_mu_;  // held while collectors run, so RemoveCollector waits for them
  std::map<uint64_t, std::function<void()>> collectors_;
  uint64_t next_collector_ = 0;
};

}  // namespace pipeline
