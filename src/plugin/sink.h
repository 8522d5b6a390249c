// Sink: where records leave a pipeline. Implementations: connectors/<name>/. The contract: src/plugin/README.md.
//
// A sink acknowledges records by dropping the Batch (and so its AckTokens) once they are durable: a file sink
// after fsync, Kafka after the delivery report. Write() may keep the batch until Flush(). Threading: all
// methods run on the sink's own thread, except that a sink may drop batches from a client callback thread.
//
// Per-record outcomes: a record the target refuses is reported with ctx.rejections->Reject(batch, index, error)
// (plugin/record_rejections.h) before the Flush() that covers it returns; the others are delivered as usual.
// The runtime applies the sink's on_error to each rejected record, and the batch is acknowledged only when every
// record is delivered, skipped or durably dead-lettered. A failure of the whole batch is still a failed Status.
#pragma once

#include <memory>
#include <stop_token>
#include <string>

#include "core/field_demand.h"
#include "core/record.h"
#include "core/result.h"
#include "plugin/health.h"
#include "plugin/record_rejections.h"

namespace pipeline {

class MetricsRegistry;

struct SinkContext {
  std::string name;
  std::string state_dir;
  MetricsRegistry* metrics = nullptr;
  // Requested when the pipeline stops (SIGTERM, a reload, a failure elsewhere): a sink waiting on its target
  // (a backoff, a slow server) gives up and returns; what it did not deliver is not acknowledged.
  std::stop_token stop;
  // Say when the target cannot be reached (and when it is back) beyond what failed calls tell: /readyz.
  ConnectorHealth health;
  // Where the sink reports records its target refused; shared, so the sink may keep it past Open().
  std::shared_ptr<RecordRejections> rejections = std::make_shared<RecordRejections>();
  // When the sink reads a SQL table's rows: the table's key columns (Processor::OutputKeyColumns), for sinks
  // that show rows to people as ksqlDB's CLI does. Empty otherwise, or when its inputs disagree.
  std::vector<std::string> key_columns;
};

class Sink {
 public:
  virtual ~Sink() = default;
  virtual Status Open(SinkContext& ctx) = 0;
  virtual Status Write(BatchPtr batch) = 0;
  // Makes everything written so far durable and releases the batches it held.
  virtual Status Flush() = 0;
  virtual void Close() = 0;
  // The fields of record values this sink reads (everything, unless it discards or picks fields).
  virtual FieldDemand Demand() const { return FieldDemand::All(); }
};

}  // namespace pipeline
