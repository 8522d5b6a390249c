#include "connectors/stdio/stdout_sink.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace pipeline::stdio {

Status StdoutSink::Open(SinkContext& ctx) {
  auto encoder = settings_.metadata ? MakeWholeRecordEncoder(settings_.format)
                                       : MakeEncoder(settings_.format, settings_.csv);
  if (!encoder.ok()) return encoder.error();
  encoder_ = std::move(*encoder);
  // `lines` prints text, not columns: it stays as it is.
  if (!settings_.metadata && !ctx.key_columns.empty() && settings_.format != "lines")
    encoder_ = MakeTableRowEncoder(std::move(encoder_), ctx.key_columns);
  return {};
}

Status StdoutSink::Write(BatchPtr batch) {
  buffer_.clear();
  for (const Record& r : batch->records) {
    if (!header_written_) {
      std::string header = encoder_->Header(r);
      if (!header.empty()) buffer_ += header + '\n';
      header_written_ = true;
    }
    encoder_->Encode(r, buffer_);
    buffer_ += '\n';
  }
  size_t done = 0;
  while (done < buffer_.size()) {
    ssize_t n = ::write(settings_.fd, buffer_.data() + done, buffer_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EPIPE) return FatalError("standard output was closed by its reader (e.g. `| head`)");
    if (n < 0) return FatalError(std::string("cannot write to standard output: ") + std::strerror(errno));
    done += static_cast<size_t>(n);
  }
  if (buffer_.capacity() > (8 << 20)) buffer_ = std::string();  // do not keep a huge buffer after a big batch
  return {};
}

}  // namespace pipeline::stdio
