// Rewrites of a loaded pipeline before its graph is built: a connector that owns a pipeline-level key expands it
// into ordinary components (connectors/kafka: `via: kafka`, `scale_out:`). The runtime runs them in order without
// knowing any of them; the list is in src/builtin.cpp, with the components.
#pragma once

#include <vector>

#include "config/pipeline_config.h"

namespace pipeline {

// Rewrites `config` in place; errors go to diags.
using PipelineRewrite = void (*)(config::PipelineConfig& config, config::Diagnostics& diags);

// The rewrites Pipeline::Build runs, in this order: src/builtin.cpp's list, which InstallBuiltins() (src/builtin.h)
// installs here before anything runs, so the runtime does not link to it.
void SetBuiltinPipelineRewrites(std::vector<PipelineRewrite> rewrites);
const std::vector<PipelineRewrite>& BuiltinPipelineRewrites();

}  // namespace pipeline
