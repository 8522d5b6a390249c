// StateDirLock: one pipe process per state dir. Two processes on one dir would both read and commit the same
// checkpoints and double the output, so `pipe run` takes an exclusive flock on `<state_dir>/LOCK` for its whole
// life (hot reloads included) and writes its PID into it for the message the next one gets. The kernel drops
// the lock when the holder exits, however it ends: a SIGKILLed run never blocks the next one.
#pragma once

#include <string>

#include "core/result.h"

namespace pipeline {

class StateDirLock {
 public:
  StateDirLock() = default;
  ~StateDirLock();
  StateDirLock(const StateDirLock&) = delete;
  StateDirLock& operator=(const StateDirLock&) = delete;

  // Fails at once (no waiting) when another process holds the dir, naming its PID.
  Status Acquire(const std::string& state_dir);

 private:
  int fd_ = -1;
};

}  // namespace pipeline
