#include "connectors/syslog/syslog_source.h"

#include <chrono>
#include <ctime>

namespace pipeline::syslog {
namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// The receiver's local year and UTC offset now: what an RFC 3164 timestamp is read in (as rsyslog does).
ReceptionTime LocalReceptionTime(int64_t now_ms) {
  std::time_t now = static_cast<std::time_t>(now_ms / 1000);
  std::tm local{};
  ::localtime_r(&now, &local);
  return {local.tm_year + 1900, static_cast<int>(local.tm_gmtoff)};
}

}  // namespace

Status SyslogSource::Open(SourceContext& ctx) {
  topic_ = ctx.name;
  lane_ = Lanes::Intern("syslog " + ctx.name);
  sequence_ = 0;
  if (ctx.metrics) {
    const Labels labels = {{"source", ctx.name}};
    settings_.server.dropped_datagrams = ctx.metrics->GetCounter(
        "pipe_syslog_dropped_datagrams_total", labels, "UDP syslog datagrams dropped because the pipeline was full");
    settings_.server.refused_connections = ctx.metrics->GetCounter(
        "pipe_syslog_refused_connections_total", labels, "TCP connections closed at once: max_connections were open");
    malformed_ = ctx.metrics->GetCounter("pipe_syslog_malformed_total", labels,
                                         "syslog messages that did not parse (kept, skipped or dead-lettered)");
    if (settings_.server.tls.configured)
      settings_.server.tls_handshake_failures =
          ctx.metrics->GetCounter("pipe_syslog_tls_handshake_failures_total", labels,
                                  "TLS connections closed because their handshake failed or did not finish in time");
  }
  if (settings_.on_malformed == MalformedPolicy::kDeadLetter)
    PIPE_RETURN_IF_ERROR(dead_letter_.Open(settings_.dead_letter_path, ctx.name));
  server_ = std::make_unique<SyslogServer>(settings_.server);
  Status started = server_->Start();
  if (!started.ok()) server_.reset();
  return started;
}

Status SyslogSource::Malformed(const Frame& frame, const std::string& why, int64_t now_ms, Batch& out) {
  if (malformed_) malformed_->Add();
  const std::string error = "syslog message " + std::to_string(sequence_) + " of this run: " + why;
  switch (settings_.on_malformed) {
    case MalformedPolicy::kKeep: {
      Record& r = out.records.emplace_back();
      builder_.BuildMalformed(frame.bytes, why, now_ms, r);
      return {};
    }
    case MalformedPolicy::kFail:
      return DataError(error);
    case MalformedPolicy::kSkip:
      return {};
    case MalformedPolicy::kDeadLetter:
      return dead_letter_.Append({lane_, sequence_, 0}, error, frame.bytes);
  }
  return {};
}

Result<ReadStatus> SyslogSource::Read(Batch& out, std::stop_token) {
  frames_.clear();
  server_->Take(frames_, settings_.batch_size, std::chrono::milliseconds(100));
  if (frames_.empty()) return ReadStatus::kIdle;
  const int64_t now_ms = NowMs();
  const ReceptionTime reception = LocalReceptionTime(now_ms);
  out.records.reserve(out.records.size() + frames_.size());
  for (const Frame& frame : frames_) {
    ++sequence_;
    const size_t before = out.records.size();
    if (frame.truncated) {
      PIPE_RETURN_IF_ERROR(Malformed(
          frame,
          "longer than max_message_bytes (" + std::to_string(settings_.server.max_message_bytes) + "): cut there",
          now_ms, out));
    } else if (SyslogParse parsed = ParseSyslog(frame.bytes, settings_.format, reception); parsed.ok()) {
      builder_.Build(std::move(*parsed.message), now_ms, out.records.emplace_back());
    } else {
      PIPE_RETURN_IF_ERROR(Malformed(frame, parsed.error.ToString(), now_ms, out));
    }
    for (size_t i = before; i < out.records.size(); ++i) {
      Record& r = out.records[i];
      r.topic = topic_;
      r.offset = sequence_;
      r.position = {lane_, sequence_, 0};
    }
  }
  out.progress.push_back({lane_, sequence_, 0});
  return ReadStatus::kMore;
}

void SyslogSource::Close() {
  if (server_) server_->Stop();
  server_.reset();
  dead_letter_.Close();
}

}  // namespace pipeline::syslog
