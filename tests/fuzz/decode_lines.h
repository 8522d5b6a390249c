// Shared by the decoder harnesses: the input is a file's bytes, read the way the file source reads them
// (connectors/file/file_source.cpp, ReadRecords and DecodeLine), so that the fuzzer drives the decoder through the
// product's own calls: LineReader in small chunks (lines cross chunk ends, the buffer moves), the complete lines
// of each chunk parsed ahead, a csv header consumed with Decode, every other line decoded in the buffer with
// what is readable past it. Every record decoded must come out as JSON that pipe reads back.
#pragma once

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "connectors/common/line_reader.h"
#include "formats/format.h"
#include "formats/json.h"

namespace pipeline::fuzz {

// A decoded value written as JSON (what a json sink writes) must parse again: anything else is output pipe
// itself, or any JSON reader, would refuse downstream.
inline void CheckWritesReadableJson(const Record& record) {
  std::string out;
  AppendJson(record.value, out);
  auto back = ParseJson(out);
  if (!back.ok()) {
    std::fprintf(stderr, "decoded value written as unreadable JSON: %s\n%s\n", back.error().message().c_str(),
                 out.c_str());
    std::abort();
  }
}

inline void DecodeOneLine(Decoder& decoder, const LineReader& reader, std::string_view line) {
  if (line.empty()) return;  // the file source skips empty lines
  Record record;
  if (decoder.ExpectsHeader()) {
    (void)decoder.Decode(line, record);
    return;
  }
  if (decoder.DecodeInBuffer(line, reader.ReadableAfter(line), record).ok()) CheckWritesReadableJson(record);
}

inline void DecodeLinesAsFileSource(std::string_view data, Decoder& decoder) {
  static const int fd = memfd_create("fuzz_input", 0);
  if (fd < 0 || ftruncate(fd, 0) != 0 || pwrite(fd, data.data(), data.size(), 0) != static_cast<ssize_t>(data.size()))
    std::abort();
  LineReader reader(/*chunk_bytes=*/256, /*max_line_bytes=*/2048);
  reader.Reset(0);
  std::string_view line;
  int64_t offset = 0;
  for (;;) {
    const auto next = reader.NextLine(line, offset);
    if (next == LineReader::Next::kLine) {
      DecodeOneLine(decoder, reader, line);
      continue;
    }
    if (next == LineReader::Next::kTooLong) continue;  // an error the source reports without decoding
    decoder.ParseAhead({}, 0);  // Fill may move the buffer
    const long n = reader.Fill(fd, /*positional=*/true);
    if (n < 0) std::abort();
    if (n > 0) {
      const std::string_view lines = reader.BufferedLines();
      if (!lines.empty()) decoder.ParseAhead(lines, reader.ReadableAfter(lines));
      continue;
    }
    if (reader.TakeRest(line, offset)) DecodeOneLine(decoder, reader, line);
    return;
  }
}

}  // namespace pipeline::fuzz
