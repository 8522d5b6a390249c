// The `json` format as a file or stdin source reads it, line by line: whole records, and with the projection a
// source gets when its consumers read only some fields (formats/json_format.cpp, JsonReader).
#include "decode_lines.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  auto whole = pipeline::MakeDecoder("json");
  pipeline::fuzz::DecodeLinesAsFileSource(input, **whole);
  auto projected = pipeline::MakeDecoder("json");
  (*projected)->Project(pipeline::FieldDemand::Of({"id", "name", "status", "user"}));
  pipeline::fuzz::DecodeLinesAsFileSource(input, **projected);
  return 0;
}
