// The `lines` format as a file or stdin source reads it: each line a record {"message": "<the line>"}.
#include "decode_lines.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto decoder = pipeline::MakeDecoder("lines");
  pipeline::fuzz::DecodeLinesAsFileSource(std::string_view(reinterpret_cast<const char*>(data), size), **decoder);
  return 0;
}
