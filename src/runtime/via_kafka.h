// `via: kafka`: a stream carried through a Kafka topic. The producer's records go to a kafka sink on the topic,
// and the stream's readers read a kafka source on it, so another pipe process (another pipeline file) can read
// or feed the same topic. Expanded into ordinary components before the graph is built.
#pragma once

#include "config/pipeline_config.h"

namespace pipeline {

// Rewrites every source or single-message-transform stage with `via: kafka`; errors go to diags.
void ExpandViaKafka(config::PipelineConfig& config, config::Diagnostics& diags);

// Adds to every `sql` transform with `scale_out:` the Kafka sink and source of its repartition topic (see
// sql/stage/scale_out_config.h): the stage writes stream <name>.repartition and reads <name>.repartitioned.
void ExpandSqlScaleOut(config::PipelineConfig& config, config::Diagnostics& diags);

}  // namespace pipeline
