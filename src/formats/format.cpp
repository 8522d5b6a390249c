#include "formats/format.h"

#include "formats/formats_internal.h"

namespace pipeline {

namespace {

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

}  // namespace

std::vector<std::string> DecoderNames() { return {"json", "csv", "lines", "dead_letter"}; }
std::vector<std::string> EncoderNames() { return {"json", "jsonl", "pretty", "csv", "lines"}; }

Result<std::unique_ptr<Decoder>> MakeDecoder(const std::string& format, const CsvOptions& csv) {
  if (format == "json" || format == "jsonl") return MakeJsonDecoder();
  if (format == "csv") return MakeCsvDecoder(csv);
  if (format == "lines" || format == "text") return MakeLinesDecoder();
  if (format == "dead_letter") return MakeDeadLetterDecoder();
  return ConfigError("unknown format '" + format + "', expected one of: " + Join(DecoderNames()));
}

Result<std::unique_ptr<Encoder>> MakeEncoder(const std::string& format, const CsvOptions& csv) {
  if (format == "json" || format == "jsonl") return MakeJsonEncoder();
  if (format == "pretty") return MakePrettyEncoder();
  if (format == "csv") return MakeCsvEncoder(csv);
  if (format == "lines" || format == "text") return MakeLinesEncoder();
  return ConfigError("unknown format '" + format + "', expected one of: " + Join(EncoderNames()));
}

}  // namespace pipeline
