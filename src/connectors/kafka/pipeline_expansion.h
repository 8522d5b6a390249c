// What the pipeline-level keys the kafka connector owns expand into, before the graph is built (the runtime runs
// every expansion src/builtin.cpp lists, runtime/pipeline_rewrites.h):
// - `via: kafka`: a stream carried through a Kafka topic. The producer's records go to a kafka sink on the topic,
//   and the stream's readers read a kafka source on it, so another pipe process (another pipeline file) can read
//   or feed the same topic.
// - `scale_out:` on a `sql` transform: the Kafka sink and source of its repartition topic (scale_out_config.h).
#pragma once

#include "config/pipeline_config.h"

namespace pipeline::kafka {

// Rewrites every source or single-message-transform stage with `via: kafka`; errors go to diags.
void ExpandViaKafka(config::PipelineConfig& config, config::Diagnostics& diags);

// Adds to every `sql` transform with `scale_out:` the Kafka sink and source of its repartition topic: the stage
// writes stream <name>.repartition and reads <name>.repartitioned (RepartitionOutput/Input, plugin/scale_out.h).
void ExpandSqlScaleOut(config::PipelineConfig& config, config::Diagnostics& diags);

}  // namespace pipeline::kafka
