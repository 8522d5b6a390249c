// ${VAR} and ${VAR:-default} in the pipeline's values, as in Docker Compose and Vector. `$${` stays a literal `${`.
// Substitution happens on parsed scalar values, never on the text: a value holding `#`, a newline, `*` or `{`
// stays one string value and cannot add keys or change the YAML's structure. Mapping keys are not substituted.
#pragma once

#include <yaml-cpp/yaml.h>

#include <functional>
#include <optional>
#include <string>

#include "config/pipeline_config.h"

namespace pipeline::config {

using EnvLookup = std::function<std::optional<std::string>(const std::string&)>;

// One scalar's text with its references replaced. Bad or unset references are reported at `at` (the scalar's
// position). `from_environment` is set when a variable's value went into the result.
std::string SubstituteEnv(const std::string& text, const Location& at, const EnvLookup& lookup, Diagnostics& diags,
                          bool& from_environment);

// Substitutes every scalar value under `root` in place. Scalars that took a variable's value are tagged
// kFromEnvironmentTag (plugin/options.h), so messages never show them.
void SubstituteEnvInValues(YAML::Node root, const std::string& file, const EnvLookup& lookup, Diagnostics& diags);

}  // namespace pipeline::config
