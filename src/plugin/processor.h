// Processor: a stage with named inputs and outputs (SQL statements, SMT chains). The runtime calls it from the
// stage's thread with each input batch; the processor emits batches to its outputs. Batches it emits must carry
// the AckTokens of the inputs they derive from (or keep them while it holds state derived from them).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/field_demand.h"
#include "core/record.h"
#include "core/result.h"

namespace pipeline {

class MetricsRegistry;

using EmitFn = std::function<void(size_t output_index, BatchPtr batch)>;

class Processor {
 public:
  virtual ~Processor() = default;
  // Stream names this processor reads, and those it produces (index = output_index in EmitFn).
  virtual std::vector<std::string> inputs() const = 0;
  virtual std::vector<std::string> outputs() const = 0;
  virtual Status Open(const std::string& state_dir, MetricsRegistry* metrics) { (void)state_dir; (void)metrics; return {}; }
  virtual Status Process(size_t input_index, BatchPtr batch, const EmitFn& emit) = 0;
  // Called about every 100 ms with wall-clock time, for punctuation (window close, EMIT FINAL).
  virtual Status Tick(int64_t now_ms, const EmitFn& emit) { (void)now_ms; (void)emit; return {}; }
  // All inputs ended (finite pipelines): emit what is pending.
  virtual Status Finish(const EmitFn& emit) { (void)emit; return {}; }
  // Before Finish, when the inputs ended because every source was exhausted (not because the pipeline stops):
  // no more input will ever come, so what waits for it (SQL windows before EMIT FINAL) may be closed now.
  virtual Status EndOfInput(const EmitFn& emit) { (void)emit; return {}; }
  // After Open: the input streams that must be read again from their beginning (a SQL stage rebuilding its state
  // after its statements changed, on_state_change: rebuild). The runtime has their sources do so, or fails the run
  // saying why it cannot (Pipeline::ReplayFromStart).
  virtual std::vector<std::string> InputsToReplayFromStart() const { return {}; }
  // The names of the key columns of output `output_index`'s records when they are a SQL table's rows, so that a
  // sink showing records to people can label a bare key as ksqlDB's CLI does; empty otherwise.
  virtual std::vector<std::string> OutputKeyColumns(size_t output_index) const { (void)output_index; return {}; }
  // Which outputs no stage or sink reads (by output_index), once the pipeline is connected: what is emitted to
  // them is dropped, so a processor may skip producing it.
  virtual void SetUnreadOutputs(const std::vector<bool>& unread) { (void)unread; }
  // The fields it reads of input `input_index`, given what its consumers read of each output.
  virtual FieldDemand InputDemand(size_t input_index, const std::vector<FieldDemand>& output_demands) const {
    (void)input_index;
    (void)output_demands;
    return FieldDemand::All();
  }
};

}  // namespace pipeline
