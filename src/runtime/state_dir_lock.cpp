#include "runtime/state_dir_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace pipeline {

namespace {

std::string HolderPid(int fd) {
  char buf[32] = {};
  ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  std::string pid(buf, n > 0 ? static_cast<size_t>(n) : 0);
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
  return pid.empty() ? "unknown (it is starting)" : pid;
}

}  // namespace

StateDirLock::~StateDirLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the flock; the file stays, so that no one locks an unlinked inode
}

Status StateDirLock::Acquire(const std::string& state_dir) {
  const std::string path = state_dir + "/LOCK";
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) return FatalError("cannot open " + path + ": " + std::strerror(errno));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    std::string holder = err == EWOULDBLOCK ? HolderPid(fd) : "";
    ::close(fd);
    if (err != EWOULDBLOCK) return FatalError("cannot lock " + path + ": " + std::strerror(err));
    return FatalError("the state dir " + state_dir + " is in use by another pipe process (PID " + holder +
                      "); stop it first, or give this run its own --state-dir");
  }
  std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    int err = errno;
    ::close(fd);
    return FatalError("cannot write the PID into " + path + ": " + std::strerror(err));
  }
  fd_ = fd;
  return {};
}

}  // namespace pipeline
