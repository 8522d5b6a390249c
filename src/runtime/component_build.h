// Building one component of a pipeline the way `pipe run` does (pipeline_build.cpp), for those that run parts of a
// pipeline without its threads and connectors: `pipe test` drives the transform chains and stages of a pipeline
// file with test records (src/testing/pipeline_scenario.h).
#pragma once

#include <memory>
#include <vector>

#include "config/pipeline_config.h"
#include "core/result.h"
#include "plugin/processor.h"
#include "runtime/transform_chain.h"

namespace pipeline {

// The single-message transforms of a source or sink (or a one-transform SMT stage), with its on_error policy.
// Errors name the file position.
Result<std::unique_ptr<TransformChain>> BuildTransformChain(const config::ComponentConfig& c,
                                                            const std::vector<config::TransformConfig>& transforms,
                                                            const config::PipelineConfig& pipeline);

// A top-level transform: a registered stage (sql) or an SMT stage. Errors name the file position.
Result<std::unique_ptr<Processor>> BuildStageProcessor(const config::ComponentConfig& c,
                                                       const config::PipelineConfig& pipeline);

// For a file the loader refused (`pipe validate`): the errors its SQL stages would add, and the stream references
// the loader could not check because only the SQL says which streams exist. Streams of broken components are
// taken as existing, so that no knock-on error follows.
void CheckRefusedPipeline(const config::PipelineConfig& partial, config::Diagnostics& diags);

}  // namespace pipeline
