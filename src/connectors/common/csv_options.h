// The `csv:` option of the file and stdin sources (how format: csv reads; formats/format.h, CsvOptions): one spec
// and one reader, so that both sources document and check it alike.
#pragma once

#include "formats/format.h"
#include "plugin/options.h"
#include "plugin/spec.h"

namespace pipeline {

OptionSpec CsvOptionSpec();
// The `csv:` object's settings; errors name the option's file position.
Result<CsvOptions> ReadCsvOptions(const Options& source_options);

}  // namespace pipeline
