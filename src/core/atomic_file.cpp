#include "core/atomic_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <random>

namespace pipeline {

namespace {

std::string ErrnoText(int err) { return std::string(std::strerror(err)) + " (errno " + std::to_string(err) + ")"; }

std::string UniqueTempName(const std::string& path) {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  char suffix[17];
  std::snprintf(suffix, sizeof suffix, "%016llx", static_cast<unsigned long long>(random()));
  return path + "." + std::to_string(::getpid()) + "." + suffix + ".tmp";
}

// Writes and fsyncs `contents` into a new file; the descriptor is closed whatever fails.
Status WriteAndSync(const std::string& tmp, const std::string& contents) {
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) return FatalError("cannot create " + tmp + ": " + ErrnoText(errno));
  size_t done = 0;
  while (done < contents.size()) {
    ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      return FatalError("cannot write " + tmp + ": " + ErrnoText(err));
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    int err = errno;
    ::close(fd);
    return FatalError("cannot sync " + tmp + ": " + ErrnoText(err));
  }
  if (::close(fd) != 0) return FatalError("cannot close " + tmp + ": " + ErrnoText(errno));
  return {};
}

// The rename is durable only once the directory entry is synced; a failure there means the checkpoint may
// come back as the old one after a crash, which must not pass as saved.
Status SyncFolder(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return FatalError("cannot open the folder " + dir + " to sync it: " + ErrnoText(errno));
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return FatalError("cannot sync the folder " + dir + ": " + ErrnoText(err));
  return {};
}

}  // namespace

Status WriteFileAtomic(const std::string& path, const std::string& contents) {
  const std::string tmp = UniqueTempName(path);
  Status written = WriteAndSync(tmp, contents);
  if (written.ok() && ::rename(tmp.c_str(), path.c_str()) != 0)
    written = FatalError("cannot rename " + tmp + " to " + path + ": " + ErrnoText(errno));
  if (!written.ok()) {
    ::unlink(tmp.c_str());
    return written;
  }
  std::string dir = std::filesystem::path(path).parent_path().string();
  return SyncFolder(dir.empty() ? "." : dir);
}

}  // namespace pipeline
