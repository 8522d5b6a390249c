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
  std::string state_dir;               // default: $PIPE_STATE_DIR or one derived from the file (state_dir.h)
  std::string http_address;            // empty = no HTTP endpoint
  bool watch = true;                   // reload when the file changes
  bool reset = false;                  // start over: delete the checkpoints and state first (--reset)
};

// Exit codes (documented in the README): 0 done or stopped by a signal after draining; 1 the pipeline failed
// while running; 2 the pipeline file is invalid or the command line is wrong.
int RunPipeline(const RunOptions& options);

// `pipe reset FILE`: deletes the pipeline's checkpoints and state (under its state dir's lock, so not while it
// runs). 0 when done or nothing was there, 1 when the dir is locked or cannot be emptied.
int ResetPipelineState(const RunOptions& options);

}  // namespace pipeline
