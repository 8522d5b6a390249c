// CheckpointStore: the positions of a pipeline's sources, one small file per source in the state dir, each
// replaced atomically (write temp, fsync, rename, fsync dir) so a crash leaves the old or the new one.
#pragma once

#include <mutex>
#include <optional>
#include <string>

#include "core/result.h"

namespace pipeline {

class CheckpointStore {
 public:
  explicit CheckpointStore(std::string dir);
  const std::string& dir() const { return dir_; }
  std::optional<std::string> Load(const std::string& source_name) const;
  Status Save(const std::string& source_name, const std::string& position);

 private:
  std::string PathFor(const std::string& source_name) const;
  std::string dir_;
  std::mutex mu_;
};

// Writes `contents` to `path` atomically and durably (temp file + fsync + rename + fsync of the folder).
Status WriteFileAtomic(const std::string& path, const std::string& contents);

}  // namespace pipeline
