// The `csv` format as a file or stdin source reads it. The input's first byte chooses the `csv:` options (header
// or declared columns, typed columns, infer_types, delimiter, null_value); the rest is the file.
#include "decode_lines.h"

namespace {

pipeline::CsvOptions OptionsFrom(uint8_t choice) {
  pipeline::CsvOptions options;
  options.header = !(choice & 1);
  if (!options.header || (choice & 2))
    options.columns = {{"id", "int"}, {"name", "string"}, {"price", "double"}, {"ok", "boolean"}};
  options.infer_types = choice & 4;
  if (choice & 8) options.delimiter = ';';
  if (choice & 16) options.delimiter = '\t';
  if (choice & 32) options.quote = '\'';
  if (choice & 64) options.null_value = "NULL";
  return options;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  auto decoder = pipeline::MakeDecoder("csv", OptionsFrom(data[0]));
  if (!decoder.ok()) return 0;
  pipeline::fuzz::DecodeLinesAsFileSource(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1),
                                          **decoder);
  return 0;
}
