// BlackholeSink: discards records at once and counts them (like Vector's blackhole), to measure sources and
// transforms without sink costs. With print_interval it reports the count and rate to stderr.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "plugin/sink.h"

namespace pipeline {
class Counter;
}

namespace pipeline::stdio {

class BlackholeSink : public Sink {
 public:
  explicit BlackholeSink(int64_t print_interval_ms) : print_interval_ms_(print_interval_ms) {}
  Status Open(SinkContext& ctx) override;
  Status Write(BatchPtr batch) override;
  Status Flush() override { return {}; }
  FieldDemand Demand() const override { return FieldDemand::None(); }  // reads nothing: sources may skip decoding
  void Close() override;

  int64_t records() const { return records_; }

 private:
  void Report(const char* when);

  int64_t print_interval_ms_;
  std::string name_;
  int64_t records_ = 0;
  int64_t reported_records_ = 0;
  Counter* counter_ = nullptr;
  std::chrono::steady_clock::time_point started_, reported_at_;
};

}  // namespace pipeline::stdio
