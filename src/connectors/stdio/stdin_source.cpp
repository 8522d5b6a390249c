#include "connectors/stdio/stdin_source.h"

#include <poll.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace pipeline::stdio {

StdinSource::StdinSource(StdinSettings settings) : settings_(std::move(settings)), reader_(1 << 20) {}

Status StdinSource::Open(SourceContext& ctx) {
  topic_ = ctx.name;
  lane_ = Lanes::Intern("stdin");
  auto decoder = MakeDecoder(settings_.format, settings_.csv);
  if (!decoder.ok()) return decoder.error();
  decoder_ = std::move(*decoder);
  if (!settings_.dead_letter_path.empty()) return dead_letter_.Open(settings_.dead_letter_path, ctx.name);
  return {};
}

Status StdinSource::DecodeLine(std::string_view line, int64_t offset, Batch& out, int64_t now_ms) {
  if (line.empty()) return {};
  Record scratch;
  const bool header = decoder_->ExpectsHeader();
  Record& r = header ? scratch : out.records.emplace_back();
  Status status = decoder_->Decode(line, r);
  if (status.ok()) {
    r.offset = offset;
    r.position = {lane_, offset, 0};
    if (!decoder_->CarriesRecordMetadata()) {  // a replayed dead letter keeps its original topic and time
      r.topic = topic_;
      r.timestamp = now_ms;
    }
    settings_.key_fields.Apply(r);
    return {};
  }
  if (!header) out.records.pop_back();
  if (!settings_.dead_letter_path.empty()) return dead_letter_.Append({lane_, offset, 0}, "stdin, byte offset " + std::to_string(offset) + ": " + status.message(), line);
  if (settings_.skip_errors) return {};
  return DataError("stdin, byte offset " + std::to_string(offset) + ": " + status.message());
}

Result<ReadStatus> StdinSource::Read(Batch& out, std::stop_token) {
  if (eof_) return ReadStatus::kEnd;
  const int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  std::string_view line;
  int64_t offset = 0;
  size_t before = out.size();
  bool waited = false;
  while (out.size() - before < settings_.batch_size) {
    auto next = reader_.NextLine(line, offset);
    if (next == LineReader::Next::kLine) {
      PIPE_RETURN_IF_ERROR(DecodeLine(line, offset, out, now_ms));
      continue;
    }
    if (next == LineReader::Next::kTooLong) return DataError("stdin: line too long");
    // Hand out what we have rather than wait; wait (briefly) only when there is nothing.
    if (out.size() > before || waited) break;
    pollfd p{settings_.fd, POLLIN, 0};
    int ready = ::poll(&p, 1, 100);
    waited = true;
    if (ready <= 0) break;
    long n = reader_.Fill(settings_.fd, /*positional=*/false);
    if (n < 0 && errno != EAGAIN) return FatalError(std::string("cannot read stdin: ") + std::strerror(errno));
    if (n == 0) {
      if (reader_.TakeRest(line, offset)) PIPE_RETURN_IF_ERROR(DecodeLine(line, offset, out, now_ms));
      eof_ = true;
      break;
    }
    waited = false;  // got bytes: split them before deciding to wait again
  }
  // Progress past skipped and dead-lettered lines too, so that their dead letters are synced by the next Commit.
  if (reader_.consumed_offset() != progress_noted_) {
    progress_noted_ = reader_.consumed_offset();
    out.progress.push_back({lane_, progress_noted_, 0});
  }
  if (out.size() > before) return ReadStatus::kMore;
  return eof_ ? ReadStatus::kEnd : ReadStatus::kIdle;
}

}  // namespace pipeline::stdio
