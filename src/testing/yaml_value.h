// YAML node -> Value, with the YAML 1.2 core schema's scalar typing: plain `1` is an int, `1.5` a double,
// `true` a bool, `null`/`~`/empty a null, anything quoted a string. Mappings become Structs (field order kept).
#pragma once

#include <yaml-cpp/yaml.h>

#include "core/value.h"

namespace pipeline::testing {

Value YamlToValue(const YAML::Node& node);

}  // namespace pipeline::testing
