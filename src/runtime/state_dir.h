// Where a pipeline's state (source checkpoints, SQL state) lives, and starting over.
//
// --state-dir wins, then $PIPE_STATE_DIR (systemd units and Kubernetes manifests pass one of them). Otherwise the
// folder is derived from the pipeline file's absolute path as given, not resolved through symlinks:
// `$XDG_STATE_HOME/pipe/<file stem>-<16 hex digits of a hash of that path>`, XDG_STATE_HOME defaulting to
// ~/.local/state. So the same file keeps its state from any current directory, and a Kubernetes ConfigMap update
// (which swaps the `..data` link under the same path) keeps it too. A state dir at the old default,
// `./.pipe-state/<file stem>`, is still used when it exists, and the log says so, so an upgrade reads nothing twice.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "core/result.h"

namespace pipeline {

struct StateDirChoice {
  std::string path;
  std::string note;  // a line for the log when the choice needs explaining (the old default reused); else empty
};

StateDirChoice ChooseStateDir(const std::string& pipeline_file, const std::string& given);

// The default for `pipeline_file` (neither --state-dir nor $PIPE_STATE_DIR, no old default found).
std::string DerivedStateDir(const std::string& pipeline_file);

// Deletes everything in the state dir but its LOCK, which the caller holds: checkpoints and SQL state.
Status ResetStateDir(const std::string& state_dir);

// When the newest checkpoint or state file in the dir was written; nullopt when there is none (a first run).
std::optional<std::chrono::system_clock::time_point> LastCheckpointTime(const std::string& state_dir);

}  // namespace pipeline
