// Replacing a small file so that a crash leaves the old or the new contents, never a torn mix: checkpoints
// (runtime/checkpoint_store.h) and a stage's state snapshots (sql/stage/state_snapshots.h) are written this way.
#pragma once

#include <string>

#include "core/result.h"

namespace pipeline {

// Writes `contents` to `path` atomically and durably (temp file + fsync + rename + fsync of the folder). The
// temp file's name is unique (`<path>.<pid>.<random>.tmp`), so two writers never write into each other's.
Status WriteFileAtomic(const std::string& path, const std::string& contents);

}  // namespace pipeline
