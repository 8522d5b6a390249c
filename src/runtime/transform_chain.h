// TransformChain: the single-message transforms of one source or sink, applied in order to each record of a
// batch, with the component's on_error policy: fail (stop the pipeline, showing the record), skip (count it) or
// dead_letter (append the record, the error and its position to a file, then go on).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "config/pipeline_config.h"
#include "core/record.h"
#include "core/result.h"
#include "plugin/record_transform.h"

namespace pipeline {

class Counter;

// Appends failed records as JSON lines; shared by every component that names the same file.
class DeadLetterWriter {
 public:
  explicit DeadLetterWriter(std::string path) : path_(std::move(path)) {}
  Status Write(const std::string& component, const Record& record, const std::string& error);

 private:
  std::string path_;
};

class TransformChain {
 public:
  TransformChain(std::string component, std::vector<std::unique_ptr<RecordTransform>> transforms,
                 config::OnError on_error, std::string dead_letter_path);
  bool empty() const { return transforms_.empty(); }
  void SetFailedCounter(Counter* c) { failed_ = c; }
  // Transforms the batch in place, removing dropped and (skip/dead_letter) failed records.
  Status Apply(Batch& batch);
  // Applies the on_error policy to a record that failed before the chain (e.g. a parse error in a stage).
  Status HandleFailure(const Record& record, const std::string& error);
  // The fields of its input the chain reads, given what is read of its output. A dead letter file keeps whole
  // records, so a chain that writes one reads everything.
  FieldDemand Demand(FieldDemand downstream) const;

 private:
  std::string component_;
  std::vector<std::unique_ptr<RecordTransform>> transforms_;
  config::OnError on_error_;
  std::unique_ptr<DeadLetterWriter> dead_letters_;
  Counter* failed_ = nullptr;
};

// A record as one line of JSON for error messages (cut to a readable length).
std::string DescribeRecord(const Record& record, size_t max_chars = 400);

}  // namespace pipeline
