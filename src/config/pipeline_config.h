// PipelineConfig: the pipeline file after parsing and validation, ready to build (see runtime/pipeline.h).
#pragma once

#include <yaml-cpp/yaml.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "plugin/dead_letter.h"
#include "plugin/options.h"
#include "plugin/retry.h"
#include "plugin/spec.h"

namespace pipeline::config {

// A single-message transform attached to a source or sink (`transforms:` list).
struct TransformConfig {
  std::string type;
  const ComponentSpec* spec = nullptr;
  YAML::Node node;
  Location location;
};

// What happens to a record that fails to decode, transform or be delivered (plugin/dead_letter.h).
using OnError = pipeline::OnError;

// A stream written to and read back from Kafka (`via: kafka`), so pipelines in other processes can share it.
struct ViaKafka {
  std::string topic;
  std::string bootstrap_servers;
  int partitions = 1;
  YAML::Node node;
};

struct ComponentConfig {
  std::string name;  // sources and SMT stages: the stream they produce; sinks: the sink's name
  std::string type;
  ComponentKind kind = ComponentKind::kSource;
  const ComponentSpec* spec = nullptr;
  YAML::Node node;   // the whole mapping, including common keys
  Location location;
  std::vector<std::string> inputs;            // sinks and stages
  std::vector<Location> input_locations;
  std::vector<TransformConfig> transforms;    // sources and sinks
  OnError on_error = OnError::kFail;
  std::string dead_letter_path;
  int64_t flush_interval_ms = 1000;           // sinks
  RetryPolicy retry;                          // sources and sinks
  std::optional<ViaKafka> via;                // sources and stages
};

struct PipelineConfig {
  std::string file;   // path as given
  std::string dir;    // folder of the file, for relative paths
  std::string text;   // as read; ${VAR} is substituted in the parsed values only
  std::vector<ComponentConfig> sources;
  std::vector<ComponentConfig> stages;
  std::vector<ComponentConfig> sinks;
  size_t queue_capacity = 8;  // batches per edge
};

// Every problem found, each "file:line:col: message".
struct Diagnostics {
  std::vector<std::string> errors;
  std::vector<std::string> warnings;  // the file is valid, but should change (a deprecated option name)
  void Add(const Location& at, const std::string& message) { errors.push_back(at.ToString() + ": " + message); }
  void Warn(const Location& at, const std::string& message) {
    warnings.push_back(at.ToString() + ": warning: " + message);
  }
  bool empty() const { return errors.empty(); }
  std::string Joined() const;
};

struct LoadOptions {
  std::vector<std::string> overrides;  // --set path=value
  const std::map<std::string, std::string>* env = nullptr;  // default: the process environment
  // When loading fails: what could be read, for checks that go on (`pipe validate` compiles the SQL stages of a
  // file with other mistakes, so that one run reports them all).
  PipelineConfig* partial = nullptr;
};

// Parses and validates the file (no side effects: nothing is opened or connected). On failure every error is
// listed. Stream references (inputs) are checked by the runtime's builder, which knows SQL outputs.
Result<PipelineConfig> LoadPipelineFile(const std::string& path, const LoadOptions& options, Diagnostics& diags);
// The text of a pipeline file, or an error naming the file: missing or unreadable, a directory, or larger than a
// pipeline file can sensibly be (a device such as /dev/zero never ends).
Result<std::string> ReadPipelineFile(const std::string& path);
Result<PipelineConfig> LoadPipelineText(const std::string& text, const std::string& file_name,
                                        const LoadOptions& options, Diagnostics& diags);

}  // namespace pipeline::config
