// StdinSource: records from standard input, one per line (json, csv or lines); ends at end of input, so
// `cat data.jsonl | pipe run p.yaml` is a finite pipeline. Nothing to checkpoint: a pipe cannot be re-read.
// Read() waits for input with poll() for at most 100 ms, so shutdown stays responsive.
#pragma once

#include <memory>
#include <string>

#include "connectors/common/dead_letter_file.h"
#include "connectors/common/line_reader.h"
#include "formats/format.h"
#include "formats/key_fields.h"
#include "plugin/source.h"

namespace pipeline::stdio {

struct StdinSettings {
  std::string format = "json";
  KeyFields key_fields;       // key_fields: the record key from value fields
  CsvOptions csv;             // format: csv
  bool skip_errors = false;   // on_error: skip or dead_letter; otherwise a bad line fails the pipeline
  std::string dead_letter_path;  // on_error: dead_letter: where bad lines go (see connectors/common/dead_letter_file.h)
  size_t batch_size = 1024;
  int fd = 0;                 // tests read from a pipe instead
};

class StdinSource : public Source {
 public:
  explicit StdinSource(StdinSettings settings);
  Status Open(SourceContext& ctx) override;
  Result<ReadStatus> Read(Batch& out, std::stop_token stop) override;
  // Nothing to resume from (stdin cannot be read again), but dead letters are made durable with each commit.
  Status Commit(const LanePositions&) override { return dead_letter_.Sync(); }
  void Close() override { dead_letter_.Close(); }

 private:
  Status DecodeLine(std::string_view line, int64_t offset, Batch& out, int64_t now_ms);

  StdinSettings settings_;
  std::unique_ptr<Decoder> decoder_;
  LineReader reader_;
  DeadLetterFile dead_letter_;
  std::string topic_;
  bool eof_ = false;
  LaneId lane_ = kNoLane;          // "stdin": positions are byte offsets
  int64_t progress_noted_ = 0;
};

}  // namespace pipeline::stdio
