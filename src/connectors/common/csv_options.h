// The `csv:` option of the file and stdin sources (how format: csv reads) and of the file and stdout sinks (how it
// writes; formats/format.h, CsvOptions): one spec and one reader, so that all of them document and check it alike
// and what a sink writes reads back with the same settings.
#pragma once

#include "formats/format.h"
#include "plugin/options.h"
#include "plugin/spec.h"

namespace pipeline {

enum class CsvUse { kRead, kWrite };

OptionSpec CsvOptionSpec(CsvUse use = CsvUse::kRead);
// The `csv:` object's settings; errors name the option's file position.
Result<CsvOptions> ReadCsvOptions(const Options& component_options, CsvUse use = CsvUse::kRead);

}  // namespace pipeline
