// CheckpointStore: the positions of a pipeline's sources, one small file per source in the state dir, each
// replaced atomically (write temp, fsync, rename, fsync dir) so a crash leaves the old or the new one.
//
// File names: a source's stream name with every byte other than [A-Za-z0-9_-] percent-encoded (`in.a` ->
// `in%2Ea.json`), so two names never share a file. Earlier versions replaced those bytes by `_`; a state dir
// from then (one without the NAMES-ESCAPED marker) is still read under the old name when the new file does
// not exist yet, so it resumes. Opening the store removes temp files a killed writer left in the folder: only
// the process holding the state dir lock (StateDirLock) opens it.
#pragma once

#include <mutex>
#include <optional>
#include <string>

#include "core/atomic_file.h"  // WriteFileAtomic, how every checkpoint is written
#include "core/result.h"

namespace pipeline {

class CheckpointStore {
 public:
  explicit CheckpointStore(std::string dir);
  const std::string& dir() const { return dir_; }
  std::optional<std::string> Load(const std::string& source_name) const;
  Status Save(const std::string& source_name, const std::string& position);
  // Where the source's checkpoint is written (for messages about it).
  std::string PathFor(const std::string& source_name) const;

 private:
  std::string LegacyPathFor(const std::string& source_name) const;
  std::string dir_;
  bool legacy_names_ = false;  // the folder predates escaped names: fall back to the old ones when reading
  std::mutex mu_;
};

}  // namespace pipeline
