#include "connectors/stdio/blackhole_sink.h"

#include <cstdio>

#include "observability/metrics.h"

namespace pipeline::stdio {

Status BlackholeSink::Open(SinkContext& ctx) {
  name_ = ctx.name;
  rejections_ = ctx.rejections;
  if (ctx.metrics)
    counter_ = ctx.metrics->GetCounter("pipe_blackhole_records_total", {{"sink", ctx.name}},
                                       "Records discarded by a blackhole sink");
  started_ = reported_at_ = std::chrono::steady_clock::now();
  return {};
}

Status BlackholeSink::Write(BatchPtr batch) {
  auto n = static_cast<int64_t>(batch->size());
  if (reject_when_) {
    for (size_t i = 0; i < batch->records.size(); ++i) {
      if (!reject_when_->Matches(batch->records[i])) continue;
      rejections_->Reject(*batch, i, DataError("rejected by reject_when: " + reject_when_->text()));
      --n;  // counted are the records delivered
    }
  }
  records_ += n;
  if (counter_) counter_->Add(n);
  batch.reset();  // acknowledged as soon as it arrives
  // The first records are reported at once, later ones every print_interval (and by Flush, which the runtime
  // calls every flush_interval, so that a count stops changing on screen only when records stop).
  if (print_interval_ms_ > 0 && (reported_records_ == 0 || IntervalPassed())) Report("so far");
  return {};
}

bool BlackholeSink::IntervalPassed() const {
  return std::chrono::steady_clock::now() - reported_at_ >= std::chrono::milliseconds(print_interval_ms_);
}

Status BlackholeSink::Flush() {
  if (print_interval_ms_ > 0 && records_ != reported_records_ && IntervalPassed()) Report("so far");
  return {};
}

void BlackholeSink::Report(const char* when) {
  auto now = std::chrono::steady_clock::now();
  double interval = std::chrono::duration<double>(now - reported_at_).count();
  double total = std::chrono::duration<double>(now - started_).count();
  std::fprintf(stderr, "blackhole %s: %lld records %s (%.0f/s now, %.0f/s overall)\n", name_.c_str(),
               static_cast<long long>(records_), when,
               interval > 0 ? static_cast<double>(records_ - reported_records_) / interval : 0.0,
               total > 0 ? static_cast<double>(records_) / total : 0.0);
  reported_at_ = now;
  reported_records_ = records_;
}

void BlackholeSink::Close() {
  if (print_interval_ms_ > 0) Report("in total");
}

}  // namespace pipeline::stdio
