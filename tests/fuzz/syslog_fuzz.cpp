// The syslog source's reading of a TCP stream (connectors/syslog/syslog_source.cpp, Read): the bytes framed by
// FrameSplitter as they arrive in pieces, each frame parsed and made a record, or a malformed record that says
// why. The input's first byte chooses the format (auto, rfc3164, rfc5424) and the size of the pieces; every
// record must come out as JSON that pipe reads back.
#include <cstdint>
#include <string_view>
#include <vector>

#include "connectors/syslog/syslog_framing.h"
#include "connectors/syslog/syslog_parser.h"
#include "connectors/syslog/syslog_record.h"
#include "decode_lines.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pipeline::syslog;
  if (size == 0) return 0;
  static const SyslogRecordBuilder builder;
  const SyslogFormat format = data[0] % 3 == 0 ? SyslogFormat::kAuto
                              : data[0] % 3 == 1 ? SyslogFormat::kRfc3164
                                                 : SyslogFormat::kRfc5424;
  const size_t piece = 1 + (data[0] >> 2);
  std::string_view stream(reinterpret_cast<const char*>(data) + 1, size - 1);
  FrameSplitter splitter(/*max_message_bytes=*/512);
  std::vector<Frame> frames;
  while (!stream.empty()) {
    splitter.Feed(stream.substr(0, piece), frames);
    stream.remove_prefix(std::min(piece, stream.size()));
  }
  splitter.Finish(frames);
  const ReceptionTime reception{2024, 3600};
  for (const Frame& frame : frames) {
    pipeline::Record record;
    if (frame.truncated) {
      builder.BuildMalformed(frame.bytes, "longer than max_message_bytes", 0, record);
    } else if (SyslogParse parsed = ParseSyslog(frame.bytes, format, reception); parsed.ok()) {
      builder.Build(std::move(*parsed.message), 0, record);
    } else {
      builder.BuildMalformed(frame.bytes, parsed.error.ToString(), 0, record);
    }
    pipeline::fuzz::CheckWritesReadableJson(record);
  }
  return 0;
}
