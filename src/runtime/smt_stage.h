// A top-level transform whose type is a single-message transform: a stage that applies it to every record of
// its inputs and emits one stream named after the stage (as a Vector transform does).
#pragma once

#include <memory>

#include "plugin/processor.h"
#include "runtime/transform_chain.h"

namespace pipeline {

class SmtStage : public Processor {
 public:
  SmtStage(std::string name, std::vector<std::string> inputs, std::unique_ptr<TransformChain> chain)
      : name_(std::move(name)), inputs_(std::move(inputs)), chain_(std::move(chain)) {}
  std::vector<std::string> inputs() const override { return inputs_; }
  std::vector<std::string> outputs() const override { return {name_}; }
  Status Process(size_t, BatchPtr batch, const EmitFn& emit) override {
    if (batch.use_count() > 1) batch = std::make_shared<Batch>(*batch);  // others read it too: work on a copy
    PIPE_RETURN_IF_ERROR(chain_->Apply(*batch));
    if (!batch->records.empty()) emit(0, std::move(batch));
    return {};
  }
  FieldDemand InputDemand(size_t, const std::vector<FieldDemand>& output_demands) const override {
    return chain_->Demand(output_demands.empty() ? FieldDemand::All() : output_demands[0]);
  }

 private:
  std::string name_;
  std::vector<std::string> inputs_;
  std::unique_ptr<TransformChain> chain_;
};

}  // namespace pipeline
