// The options of the `kafka` source and sink, declared once: the loader validates against them and `pipe docs`
// renders the reference from them.
#pragma once

#include "plugin/spec.h"

namespace pipeline::kafka {

ComponentSpec KafkaSourceSpec();
ComponentSpec KafkaSinkSpec();

}  // namespace pipeline::kafka
