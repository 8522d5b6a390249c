// BlackholeSink: discards records at once and counts them (like Vector's blackhole), to measure sources and
// transforms without sink costs. With print_interval it reports the count and rate to stderr.
// A testing aid: with reject_when it rejects the records matching a condition (plugin/record_rejections.h), as
// a target refusing single records would, so the per-record outcomes and dead letters can be tested end to end.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "plugin/sink.h"
#include "transforms/predicates/condition.h"

namespace pipeline {
class Counter;
}

namespace pipeline::stdio {

class BlackholeSink : public Sink {
 public:
  explicit BlackholeSink(int64_t print_interval_ms, std::optional<Condition> reject_when = std::nullopt)
      : print_interval_ms_(print_interval_ms), reject_when_(std::move(reject_when)) {}
  Status Open(SinkContext& ctx) override;
  Status Write(BatchPtr batch) override;
  Status Flush() override;
  // Reads nothing (sources may skip decoding), unless it has records to reject.
  FieldDemand Demand() const override { return reject_when_ ? FieldDemand::All() : FieldDemand::None(); }
  void Close() override;

  int64_t records() const { return records_; }

 private:
  void Report(const char* when);
  bool IntervalPassed() const;

  int64_t print_interval_ms_;
  std::optional<Condition> reject_when_;
  std::shared_ptr<RecordRejections> rejections_;
  std::string name_;
  int64_t records_ = 0;
  int64_t reported_records_ = 0;
  Counter* counter_ = nullptr;
  std::chrono::steady_clock::time_point started_, reported_at_;
};

}  // namespace pipeline::stdio
