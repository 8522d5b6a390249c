// StdoutSink: prints records to standard output (or standard error), one per line, in json, pretty (indented
// JSON), csv (header once) or lines. Each batch is encoded into one buffer and written with one write() call
// so that batches from different threads never interleave mid-line; the batch is then released (a terminal
// is not durable storage, so there is nothing to wait for). A SQL table's rows show their key columns and window
// bounds beside the value columns, as ksqlDB's CLI shows them; `metadata` shows whole records instead.
#pragma once

#include <memory>
#include <string>

#include "formats/format.h"
#include "plugin/sink.h"

namespace pipeline::stdio {

struct StdoutSettings {
  std::string format = "json";
  int fd = 1;  // 2 for target: stderr; tests use a pipe
  bool metadata = false;  // the whole record (formats/format.h, MakeWholeRecordEncoder), not only its value
  CsvOptions csv;         // format: csv
};

class StdoutSink : public Sink {
 public:
  explicit StdoutSink(StdoutSettings settings) : settings_(std::move(settings)) {}
  Status Open(SinkContext& ctx) override;
  Status Write(BatchPtr batch) override;
  Status Flush() override { return {}; }
  void Close() override {}
  FieldDemand Demand() const override {
    return settings_.format == "json" && !settings_.metadata ? FieldDemand::AllOrRaw("json") : FieldDemand::All();
  }

 private:
  StdoutSettings settings_;
  std::unique_ptr<Encoder> encoder_;
  std::string buffer_;
  bool header_written_ = false;
};

}  // namespace pipeline::stdio
