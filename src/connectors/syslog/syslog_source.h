// SyslogSource: the `syslog` source. A SyslogServer (its own thread) receives and frames; Read() parses the
// frames it takes into records (syslog_parser.h, syslog_record.h) on the source's thread.
//
// Not replayable: a syslog sender does not keep what it sent, so positions only number the messages of one run
// (lane "syslog <name>") for the runtime's progress; nothing is resumed after a restart (README.md says what a
// crash can lose and how to put Kafka in front).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "connectors/common/dead_letter_file.h"
#include "connectors/syslog/syslog_record.h"
#include "connectors/syslog/syslog_server.h"
#include "plugin/source.h"

namespace pipeline::syslog {

// What happens to a message that does not parse.
enum class MalformedPolicy {
  kKeep,        // the default: a record with the raw text in `message` and the reason in `parse_error`
  kFail,        // on_error: fail
  kSkip,        // on_error: skip (counted in pipe_syslog_malformed_total)
  kDeadLetter,  // on_error: dead_letter
};

struct SyslogSettings {
  ServerSettings server;
  SyslogFormat format = SyslogFormat::kAuto;
  MalformedPolicy on_malformed = MalformedPolicy::kKeep;
  std::string dead_letter_path;
  size_t batch_size = 1024;
};

class SyslogSource : public Source {
 public:
  explicit SyslogSource(SyslogSettings settings) : settings_(std::move(settings)) {}
  Status Open(SourceContext& ctx) override;
  Result<ReadStatus> Read(Batch& out, std::stop_token stop) override;
  // Nothing to resume from; dead letters are made durable before the position past them is acknowledged.
  Status Commit(const LanePositions&) override { return dead_letter_.Sync(); }
  void Close() override;
  int port() const { return server_ ? server_->port() : 0; }  // tests listen on port 0

 private:
  Status Malformed(const Frame& frame, const std::string& why, int64_t now_ms, Batch& out);

  SyslogSettings settings_;
  std::unique_ptr<SyslogServer> server_;
  SyslogRecordBuilder builder_;
  DeadLetterFile dead_letter_;
  std::vector<Frame> frames_;
  std::string topic_;
  LaneId lane_ = kNoLane;
  int64_t sequence_ = 0;  // messages taken in this run
  Counter* malformed_ = nullptr;
};

}  // namespace pipeline::syslog
