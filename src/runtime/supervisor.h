// Supervisor: `pipe run`. Loads and starts the pipeline, watches its file (inotify, including the `..data`
// symlink swap of a Kubernetes ConfigMap) and SIGHUP to reload, serves /healthz /readyz /metrics, prints
// progress, and turns SIGINT/SIGTERM into a graceful drain.
#pragma once

#include <string>
#include <vector>

namespace pipeline {

struct RunOptions {
  std::string file;
  std::vector<std::string> overrides;  // --set path=value
  std::string state_dir;               // default: $PIPE_STATE_DIR or ./.pipe-state/<file stem>
  std::string http_address;            // empty = no HTTP endpoint
  bool watch = true;                   // reload when the file changes
};

// Exit codes (documented in the README): 0 done or stopped by a signal after draining; 1 the pipeline failed
// while running; 2 the pipeline file is invalid or the command line is wrong.
int RunPipeline(const RunOptions& options);

}  // namespace pipeline
