// The `sql` pipeline stage (sql_stage.cpp): ksqlDB statements over pipeline streams.
#pragma once

#include "plugin/scale_out.h"

namespace pipeline {
class Registry;

// Registers the stage; `make_scale_out` gives a stage with `scale_out:` what shares its partitions between
// processes (src/builtin.cpp passes Kafka's). Without one, `scale_out:` is refused.
void RegisterSqlStage(Registry& registry, ScaleOutFactory make_scale_out);

}  // namespace pipeline
