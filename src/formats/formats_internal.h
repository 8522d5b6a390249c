// Constructors of the individual formats; format.cpp maps names to them.
#pragma once

#include <memory>

#include "formats/format.h"

namespace pipeline {
std::unique_ptr<Decoder> MakeJsonDecoder();
std::unique_ptr<Encoder> MakeJsonEncoder();
std::unique_ptr<Encoder> MakePrettyEncoder();
Result<std::unique_ptr<Decoder>> MakeCsvDecoder(const CsvOptions& options);
std::unique_ptr<Encoder> MakeCsvEncoder(const CsvOptions& options);
std::unique_ptr<Decoder> MakeLinesDecoder();
std::unique_ptr<Encoder> MakeLinesEncoder();
std::unique_ptr<Decoder> MakeDeadLetterDecoder();
}  // namespace pipeline
