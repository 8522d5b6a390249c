// TransformChain: the single-message transforms of one source or sink, applied in order to each record of a
// batch, with the component's on_error policy: fail (stop the pipeline, showing the record), skip (count it) or
// dead_letter (write a dead-letter envelope through the one writer, plugin/dead_letter.h, then go on). A sink's
// chain also settles the records its sink rejected (RunSink), with the same policy and writer.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "config/pipeline_config.h"
#include "core/record.h"
#include "core/result.h"
#include "plugin/dead_letter.h"
#include "plugin/record_rejections.h"
#include "plugin/record_transform.h"

namespace pipeline {

class Counter;

class TransformChain {
 public:
  // `dead_letters`: where on_error: dead_letter writes (OpenDeadLetterQueue); null for the other policies.
  TransformChain(std::string component, std::vector<std::unique_ptr<RecordTransform>> transforms,
                 config::OnError on_error, std::shared_ptr<DeadLetterQueue> dead_letters);
  bool empty() const { return transforms_.empty(); }
  void SetFailedCounter(Counter* c) { failed_ = c; }
  // Transforms the batch in place, removing dropped and (skip/dead_letter) failed records. Dead letters it wrote
  // are durable when it returns, before the batch (and so its acknowledgement) moves on.
  Status Apply(Batch& batch);
  // Applies the on_error policy to a record that failed outside the chain (a sink rejected it). A dead letter is
  // not durable before SyncDeadLetters(): call that once per batch of failures, before their tokens drop.
  Status HandleFailure(FailedStage stage, const Record& record, const Error& error);
  Status SyncDeadLetters() { return dead_letters_ ? dead_letters_->Sync() : Status(); }
  // Settles what a sink rejected so far: on_error for each record, one sync, then the records' tokens drop. When
  // that fails, the rejections move to `unsettled`, whose owner keeps them (and their tokens) until the pipeline
  // has failed, so that none of them counts as delivered.
  Status SettleRejections(RecordRejections& rejections, std::vector<RejectedRecord>& unsettled);
  // The fields of its input the chain reads, given what is read of its output. A dead letter file keeps whole
  // records, so a chain that writes one reads everything.
  FieldDemand Demand(FieldDemand downstream) const;

 private:
  std::string component_;
  std::vector<std::unique_ptr<RecordTransform>> transforms_;
  config::OnError on_error_;
  std::shared_ptr<DeadLetterQueue> dead_letters_;
  Counter* failed_ = nullptr;
};

// A record as one line of JSON for error messages (cut to a readable length).
std::string DescribeRecord(const Record& record, size_t max_chars = 400);

}  // namespace pipeline
