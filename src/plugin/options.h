// Options: a component's validated settings with typed access; defaults come from its ComponentSpec.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "plugin/spec.h"

namespace pipeline {

// Where a YAML node stands in the pipeline file.
struct Location {
  std::string file;
  int line = 0;    // 1-based, 0 = unknown
  int column = 0;  // 1-based
  std::string ToString() const;  // "file:line:col", or "file" alone when the line is unknown
};

// The tag of a value set on the command line (`--set path=value`), followed by the assignment: errors about it
// point at the assignment, not at the pipeline file.
inline constexpr const char* kOverrideTagPrefix = "!pipe-set ";
// Where a node of a pipeline file is: file:line:col, or `--set path=value` for a value given on the command line.
Location NodeLocation(const YAML::Node& n, const std::string& file);

// The tag of a scalar whose value came from the environment (${VAR}, config/env_substitution.h): it may hold a
// secret, so no message shows it.
inline constexpr const char* kFromEnvironmentTag = "!pipe-env";

// True when messages must not show `value`: it came from the environment, or `option` is marked secret.
bool IsHiddenValue(const YAML::Node& value, const OptionSpec* option);

class Options {
 public:
  Options() = default;
  Options(const ComponentSpec* spec, YAML::Node node, std::string file);

  bool Has(const std::string& name) const;
  std::string GetString(const std::string& name) const;
  int64_t GetInt(const std::string& name) const;
  double GetDouble(const std::string& name) const;
  bool GetBool(const std::string& name) const;
  int64_t GetDurationMs(const std::string& name) const;
  std::vector<std::string> GetStringList(const std::string& name) const;
  std::map<std::string, std::string> GetMap(const std::string& name) const;
  // The raw YAML node (for kList / kAny options); Null node if absent.
  YAML::Node Raw(const std::string& name) const;
  // A kObject option as options of their own (its fields are their spec, its defaults apply when absent).
  Options Object(const std::string& name) const;
  // The items of a kObjectList option.
  std::vector<Options> ObjectList(const std::string& name) const;

  // Tests: called with (component type, option name) whenever a component reads an option its spec does not
  // declare (a misspelled read would silently return ""). Null: nothing is watched.
  static void WatchUndeclaredReads(std::function<void(const std::string&, const std::string&)> watcher);
  YAML::Node node() const { return node_; }
  Location LocationOf(const std::string& name) const;
  // "file:line:col: <option>: message" for errors found while building the component.
  Error ErrorAt(const std::string& name, const std::string& message) const;

  const std::string& file() const { return file_; }

 private:
  // The option's YAML scalar text, or the spec default, or "".
  std::string Text(const std::string& name) const;
  const OptionSpec* Find(const std::string& name) const;
  // The node written for `name`, or for a deprecated alias of it; an undefined node when neither is there.
  YAML::Node NodeFor(const std::string& name) const;
  const std::vector<OptionSpec>& Declared() const;

  const ComponentSpec* spec_ = nullptr;
  const std::vector<OptionSpec>* fields_ = nullptr;  // a nested object's: its fields instead of spec_'s options
  YAML::Node node_;
  std::string file_;
};

// "250ms", "5s", "1.5m", "2h", "1d" or plain milliseconds.
std::optional<int64_t> ParseDurationMs(const std::string& text);

}  // namespace pipeline
