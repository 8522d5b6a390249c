// ${VAR} and ${VAR:-default} in the pipeline text, as in Docker Compose and Vector. `$${` stays a literal `${`.
// Substitution happens on the text before YAML parsing, so values can hold any YAML.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "config/pipeline_config.h"

namespace pipeline::config {

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

// Returns the substituted text; unset variables without a default are reported with their position.
std::string SubstituteEnv(const std::string& text, const std::string& file, const EnvLookup& lookup,
                          Diagnostics& diags);

}  // namespace pipeline::config
