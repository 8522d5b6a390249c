#include "runtime/transform_chain.h"

#include <cassert>

#include "formats/json.h"
#include "observability/metrics.h"

namespace pipeline {

std::string DescribeRecord(const Record& record, size_t max_chars) {
  std::string out = "{\"topic\":";
  AppendJsonString(record.topic, out);
  out += ",\"offset\":" + std::to_string(record.offset) + ",\"timestamp\":" + std::to_string(record.timestamp);
  out += ",\"key\":";
  AppendJson(record.key, out);
  out += ",\"value\":";
  AppendJson(record.value, out);
  out += "}";
  if (out.size() > max_chars) out = out.substr(0, max_chars) + "…";
  return out;
}

TransformChain::TransformChain(std::string component, std::vector<std::unique_ptr<RecordTransform>> transforms,
                               config::OnError on_error, std::shared_ptr<DeadLetterQueue> dead_letters)
    : component_(std::move(component)),
      transforms_(std::move(transforms)),
      on_error_(on_error),
      dead_letters_(std::move(dead_letters)) {
  assert((on_error_ != config::OnError::kDeadLetter || dead_letters_) && "on_error: dead_letter needs a queue");
}

FieldDemand TransformChain::Demand(FieldDemand downstream) const {
  if (dead_letters_) return FieldDemand::All();
  for (auto it = transforms_.rbegin(); it != transforms_.rend(); ++it) downstream = (*it)->Demand(downstream);
  return downstream;
}

Status TransformChain::HandleFailure(FailedStage stage, const Record& record, const Error& error) {
  if (failed_) failed_->Add();
  switch (on_error_) {
    case config::OnError::kFail:
      return DataError(component_ + ": " + error.message() + "\n  record: " + DescribeRecord(record) +
                       "\n  (set on_error: skip or dead_letter to let the pipeline go on)");
    case config::OnError::kSkip: return {};
    case config::OnError::kDeadLetter:
      return dead_letters_->Write(
          DeadLetter{.stage = stage, .component = component_, .error = error, .record = &record});
  }
  return {};
}

Status TransformChain::SettleRejections(RecordRejections& rejections, std::vector<RejectedRecord>& unsettled) {
  std::vector<RejectedRecord> rejected = rejections.Take();
  if (rejected.empty()) return {};
  for (const RejectedRecord& r : rejected) {
    Status s = HandleFailure(FailedStage::kSink, r.record, r.error);
    if (!s.ok()) {
      unsettled = std::move(rejected);
      return s;
    }
  }
  Status synced = SyncDeadLetters();
  if (!synced.ok()) unsettled = std::move(rejected);
  return synced;  // when ok, `rejected` and the tokens it holds go now: after the dead letters are durable
}

Status TransformChain::Apply(Batch& batch) {
  if (transforms_.empty()) return {};
  size_t kept = 0;
  bool failures = false;
  for (size_t i = 0; i < batch.records.size(); ++i) {
    Record& r = batch.records[i];
    bool keep = true;
    for (auto& t : transforms_) {
      Result<bool> res = t->Apply(r);
      if (!res.ok()) {
        PIPE_RETURN_IF_ERROR(HandleFailure(FailedStage::kTransform, r, res.error()));
        failures = true;
        keep = false;
        break;
      }
      if (!*res) {
        keep = false;
        break;
      }
    }
    if (keep) {
      if (kept != i) batch.records[kept] = std::move(r);
      ++kept;
    }
  }
  batch.records.resize(kept);
  return failures ? SyncDeadLetters() : Status();  // one fsync per batch, before it is acknowledged
}

}  // namespace pipeline
